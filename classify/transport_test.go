package classify_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
)

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func urlErr(err error) error {
	return &url.Error{Op: "Post", URL: "https://api.example.com/v1/chat/completions", Err: err}
}

// TestTransport classifies constructed transport errors, each wrapped the
// way net/http wraps them.
func TestTransport(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want decision
		next string // action/scope
	}{
		{"canceled", urlErr(context.Canceled), decision{"canceled", false, classify.RuleCanceled}, "stop/request"},
		{"deadline", urlErr(context.DeadlineExceeded), decision{"timeout", true, classify.RuleDeadline}, "retry/request"},
		{"net timeout", urlErr(&net.OpError{Op: "read", Net: "tcp", Err: timeoutErr{}}), decision{"timeout", true, classify.RuleNetTimeout}, "retry/request"},
		{"refused", urlErr(&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), decision{"network", true, classify.RuleConnRefused}, "retry/provider"},
		{"reset", urlErr(&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}), decision{"network", true, classify.RuleConnReset}, "retry/provider"},
		{"broken pipe", urlErr(&net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}), decision{"network", true, classify.RuleConnReset}, "retry/provider"},
		{"unexpected EOF", urlErr(io.ErrUnexpectedEOF), decision{"network", true, classify.RuleUnexpectedEOF}, "retry/provider"},
		{"EOF", urlErr(io.EOF), decision{"network", true, classify.RuleUnexpectedEOF}, "retry/provider"},
		{"dns", urlErr(&net.DNSError{Err: "no such host", Name: "api.example.invalid", IsNotFound: true}), decision{"network", true, classify.RuleDNS}, "retry/provider"},
		{"unknown authority", urlErr(x509.UnknownAuthorityError{}), decision{"network", false, classify.RuleTLSCertificate}, "stop/provider"},
		{"hostname mismatch", urlErr(x509.HostnameError{Host: "x"}), decision{"network", false, classify.RuleTLSCertificate}, "stop/provider"},
		{"redirects", urlErr(errors.New("stopped after 10 redirects")), decision{"network", false, classify.RuleTooManyRedirects}, "fix_request/request"},
		{"scheme", urlErr(errors.New(`unsupported protocol scheme "htp"`)), decision{"invalid_request", false, classify.RuleUnsupportedScheme}, "fix_request/request"},
		{"GOAWAY", urlErr(errors.New("http2: server sent GOAWAY and closed the connection; LastStreamID=1")), decision{"network", true, classify.RuleNetwork}, "retry/provider"},
		{"plain error", errors.New("boom"), decision{"unknown", false, classify.RuleOtherError}, "stop/request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := classify.TransportError(tt.err)
			if diff := cmp.Diff(tt.want, decide(r)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if got := r.Action.String() + "/" + r.Scope.String(); got != tt.next {
				t.Errorf("next step %s, want %s", got, tt.next)
			}
			if r.OK || r.Status != 0 || r.Message != tt.err.Error() || r.Hint == "" {
				t.Errorf("result %+v", r)
			}
			werr := classify.Wrap(tt.err)
			if !errors.Is(werr, classify.Sentinel(r.Category)) || !errors.Is(werr, tt.err) {
				t.Errorf("Wrap lost an identity: %v", werr)
			}
		})
	}
	if r := classify.TransportError(nil); !r.OK || r.Action != catalog.ActionNone || r.Scope != catalog.ScopeNone {
		t.Errorf("Transport(nil) = %v", r)
	}
}

// TestTransportReal classifies the errors that net/http itself returns,
// against servers on the loopback interface.
func TestTransportReal(t *testing.T) {
	ctx := context.Background()
	do := func(c *http.Client, u string) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
			return fmt.Errorf("no error from %s", u)
		}
		return err
	}

	// A port nothing listens on: connection refused.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := ln.Addr().String()
	ln.Close()

	// A server that redirects to itself for ever.
	loop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/again", http.StatusFound)
	}))
	defer loop.Close()

	// A TLS server whose certificate the default client does not trust.
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake failure is expected
	tlsSrv.StartTLS()
	defer tlsSrv.Close()

	// A server that hangs until the client gives up.
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	defer slow.Close()
	defer close(release)

	// A server that closes the connection after reading the request.
	hangup := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer hangup.Close()

	plain := &http.Client{Transport: &http.Transport{}}
	quick := &http.Client{Transport: &http.Transport{}, Timeout: 50 * time.Millisecond}
	canceled, cancel := context.WithCancel(ctx)
	cancel()

	tests := []struct {
		name string
		err  error
		want decision
	}{
		{"refused", do(plain, "http://"+closedAddr+"/"), decision{"network", true, classify.RuleConnRefused}},
		{"redirect loop", do(plain, loop.URL), decision{"network", false, classify.RuleTooManyRedirects}},
		{"untrusted certificate", do(plain, tlsSrv.URL), decision{"network", false, classify.RuleTLSCertificate}},
		{"client timeout", do(quick, slow.URL), decision{"timeout", true, classify.RuleDeadline}},
		{"server hung up", do(plain, hangup.URL), decision{"network", true, classify.RuleUnexpectedEOF}},
		{"unsupported scheme", do(plain, "htp://example.com/"), decision{"invalid_request", false, classify.RuleUnsupportedScheme}},
		{"canceled context", func() error {
			req, _ := http.NewRequestWithContext(canceled, http.MethodGet, slow.URL, nil)
			_, err := plain.Do(req)
			return err
		}(), decision{"canceled", false, classify.RuleCanceled}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, decide(classify.TransportError(tt.err))); diff != "" {
				t.Errorf("%v (-want +got):\n%s", tt.err, diff)
			}
		})
	}
}

// TestTransportBareEOF pins the io.EOF decision: a bare io.EOF, as a
// RoundTrip returns it for a connection closed before the response, is a
// retryable network failure (an end of stream is the caller's to test for
// before classifying; see Transport's documentation).
func TestTransportBareEOF(t *testing.T) {
	r := classify.TransportError(io.EOF)
	got := decision{r.Category.String(), r.Retryable, r.Rule}
	if diff := cmp.Diff(decision{"network", true, classify.RuleUnexpectedEOF}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
