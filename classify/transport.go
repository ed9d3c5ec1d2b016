package classify

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/apierr/apierr/catalog"
)

// Names of the rules that classify transport errors, recorded in
// Result.Rule.
const (
	RuleCanceled          = "context_canceled"
	RuleDeadline          = "deadline_exceeded"
	RuleNetTimeout        = "net_timeout"
	RuleConnRefused       = "connection_refused"
	RuleConnReset         = "connection_reset"
	RuleUnexpectedEOF     = "unexpected_eof"
	RuleDNS               = "dns"
	RuleTLSCertificate    = "tls_certificate"
	RuleTooManyRedirects  = "too_many_redirects"
	RuleUnsupportedScheme = "unsupported_scheme"
	RuleNetwork           = "network_error"
	RuleOtherError        = "other_error"
)

// TransportError classifies an error returned instead of a response (by
// http.Client.Do, an http.RoundTripper, or a body read):
//
//   - context.Canceled: canceled, not retryable;
//   - context.DeadlineExceeded or a net.Error timeout: timeout, retryable;
//   - connection refused or reset, broken pipe, unexpected EOF, DNS and other
//     network errors: network, retryable;
//   - TLS certificate verification failures and too many redirects:
//     network, not retryable (the same request fails the same way);
//   - an unsupported URL scheme: invalid_request, not retryable;
//   - anything else: unknown, not retryable.
//
// TransportError(nil) returns an OK result.
//
// io.EOF is classified as network, retryable: returned by a RoundTrip or
// http.Client.Do it means the server closed the connection before a
// response. Where io.EOF is the normal end of a stream (a body's Read, an
// SDK stream's Recv such as go-openai's), it is not a failure and must not
// be passed here: test errors.Is(err, io.EOF) first and treat it as the
// end. retryhttp.Transport does so when it reads the head of a stream.
func TransportError(err error) Result {
	if err == nil {
		return Result{OK: true, Rule: RuleNoError}
	}
	r := Result{Message: err.Error()}
	set := func(c catalog.Category, retry bool, rule string) Result {
		r.Category, r.Retryable, r.Rule, r.Hint = c, retry, rule, c.Hint()
		r.Action, r.Scope = catalog.NextAction(c, 0, retry)
		switch rule {
		case RuleTLSCertificate:
			// A certificate the client does not trust, or plain HTTP
			// spoken to a TLS port: a configuration for a human to fix.
			r.Action = catalog.ActionStop
		case RuleTooManyRedirects:
			r.Action, r.Scope = catalog.ActionFixRequest, catalog.ScopeRequest
		}
		return r
	}
	var (
		netErr   net.Error
		dnsErr   *net.DNSError
		certErr  *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		invalid  x509.CertificateInvalidError
		opErr    *net.OpError
		recordHd tls.RecordHeaderError
	)
	msg := r.Message
	switch {
	case errors.Is(err, context.Canceled):
		return set(catalog.Canceled, false, RuleCanceled)
	case errors.Is(err, context.DeadlineExceeded):
		return set(catalog.Timeout, true, RuleDeadline)
	case errors.As(err, &certErr), errors.As(err, &unknown), errors.As(err, &hostErr), errors.As(err, &invalid):
		return set(catalog.Network, false, RuleTLSCertificate)
	case strings.Contains(msg, "stopped after") && strings.Contains(msg, "redirects"):
		// http.Client's error for a redirect loop has no type of its own.
		return set(catalog.Network, false, RuleTooManyRedirects)
	case strings.Contains(msg, "unsupported protocol scheme"):
		return set(catalog.InvalidRequest, false, RuleUnsupportedScheme)
	case errors.As(err, &netErr) && netErr.Timeout():
		return set(catalog.Timeout, true, RuleNetTimeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return set(catalog.Network, true, RuleConnRefused)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED):
		return set(catalog.Network, true, RuleConnReset)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return set(catalog.Network, true, RuleUnexpectedEOF)
	case errors.As(err, &dnsErr):
		return set(catalog.Network, true, RuleDNS)
	case errors.As(err, &recordHd):
		// Plain HTTP spoken to a TLS port, or the reverse: a configuration
		// error, not a passing fault.
		return set(catalog.Network, false, RuleTLSCertificate)
	case errors.As(err, &opErr), errors.As(err, &netErr), isHTTP2Transient(msg):
		return set(catalog.Network, true, RuleNetwork)
	}
	return set(catalog.Unknown, false, RuleOtherError)
}

// isHTTP2Transient recognises the connection-level errors of net/http's
// HTTP/2 and HTTP/1 transports that have no exported type.
func isHTTP2Transient(msg string) bool {
	for _, s := range [...]string{"http2: server sent GOAWAY", "http2: client connection lost", "server closed idle connection", "connection lost", "use of closed network connection"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// Wrap returns err as an *Error carrying Transport(err), so that
// errors.Is(err, ErrTimeout) and the like work; errors.Is for the original
// error still works through Unwrap. It returns nil for nil and err itself
// when err already holds an *Error.
func Wrap(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Result: TransportError(err), Err: err}
}

// Response is shorthand for (&Classifier{}).Response(resp).
func Response(resp *http.Response) (Result, error) {
	var c Classifier
	return c.Response(resp)
}

// Response classifies resp. It reads at most MaxBodyBytes+1 bytes of the
// body (memory stays bounded however long the body is) and then puts them
// back: afterwards resp.Body reads the whole body from the start and
// closing it closes the original. The error is non-nil only when reading
// failed; the result then classifies what was read, or the read error when
// nothing was.
func (c *Classifier) Response(resp *http.Response) (Result, error) {
	if resp == nil {
		return Result{}, errors.New("classify: nil response")
	}
	var body []byte
	var readErr error
	if resp.Body != nil && resp.Body != http.NoBody {
		// One byte past the limit tells a body that ends there from a
		// longer one; limit() is below math.MaxInt, so this cannot
		// overflow.
		body, readErr = readAtMost(resp.Body, c.limit()+1, resp.ContentLength)
		resp.Body = &replayBody{Reader: io.MultiReader(bytes.NewReader(body), resp.Body), Closer: resp.Body}
	}
	r := c.Classify(resp.StatusCode, resp.Header, body)
	if readErr != nil {
		if len(body) == 0 {
			tr := TransportError(readErr)
			tr.Status = resp.StatusCode
			r = tr
		}
		return r, fmt.Errorf("classify: reading body: %w", readErr)
	}
	return r, nil
}

// readAtMost reads up to limit bytes of r. Its buffer grows with what
// arrives, never to the limit up front: it starts from the Content-Length
// when known (a server may lie about it, so at most 64 KiB of it is
// trusted), else from 4 KiB, enough for nearly every error body; when
// full it grows by 64 KiB (to at most the limit: the default limit is
// then reached in one step), or by its size once larger. Reaching the end
// of r is not an error.
func readAtMost(r io.Reader, limit int, contentLength int64) ([]byte, error) {
	size := 4 << 10
	if contentLength >= 0 {
		// +1 to see the end without a regrow; min first, so that a
		// Content-Length of math.MaxInt64 cannot overflow.
		size = int(min(contentLength, 64<<10)) + 1
	}
	buf := make([]byte, 0, min(size, limit))
	for len(buf) < limit {
		if len(buf) == cap(buf) {
			bigger := make([]byte, len(buf), len(buf)+min(max(len(buf), 64<<10), limit-len(buf)))
			copy(bigger, buf)
			buf = bigger
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// replayBody replays the bytes already read, then the rest of the body.
type replayBody struct {
	io.Reader
	io.Closer
}
