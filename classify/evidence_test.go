package classify_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/apierr/apierr/catalog"
	"github.com/apierr/apierr/classify"
	"github.com/apierr/apierr/parse"
)

// otherStatuses are the statuses providers use for one kind of failure or
// another; TestEvidenceHoldsAcrossStatuses moves each published message to
// each of them, and into a 200 stream.
var otherStatuses = []int{400, 403, 429, 500, 502, 503}

// stickyNonRetryable are the categories whose evidence, once in the body,
// must keep a response non-retryable on any status: a retry cannot top up
// a balance, fix a key, shorten a prompt or clean a text.
var stickyNonRetryable = map[catalog.Category]bool{
	catalog.QuotaExceeded:         true,
	catalog.Authentication:        true,
	catalog.ContextLengthExceeded: true,
	catalog.ContentFiltered:       true,
}

// TestEvidenceHoldsAcrossStatuses is the property test of the catalog's
// ordering by evidence: every published response whose body decided its
// category (not its status alone) is classified again with the same body
// under the other statuses providers use, 400, 403, 429, 500, 502 and 503,
// and as an error event in a 200 stream. A billing, quota, authentication,
// context-overflow or content-filter answer stays non-retryable; an
// overload stays retryable. The allowed exceptions are those of the
// package documentation (see "Evidence and status"), each checked here by
// its own condition.
func TestEvidenceHoldsAcrossStatuses(t *testing.T) {
	checked := 0
	for _, c := range loadReal(t) {
		h := http.Header{}
		if ct := c.ContentType(); ct != "" {
			h.Set("Content-Type", ct)
		}
		orig := classify.Classify(c.Status, h, []byte(c.Body))
		sticky := stickyNonRetryable[orig.Category]
		overload := orig.Category == catalog.Unavailable && orig.Retryable
		if !sticky && !overload {
			continue
		}
		if orig.Rule == classify.RuleStatus || orig.Rule == classify.RuleStatusClass {
			// Exception 1: the status was the only evidence.
			continue
		}
		if orig.Format == parse.FormatHTML || orig.Format == parse.FormatText || orig.Rule == "endpoint_unavailable_message" {
			// Exception 2: a gateway's page, or its words ("Bad Gateway"),
			// which are its status line again.
			continue
		}
		if orig.Rule == "auth_token_message" {
			// Exception 4: "invalid token", which a tokenizer can also say.
			continue
		}
		checked++
		for _, st := range otherStatuses {
			r := classify.Classify(st, h, []byte(c.Body))
			if st == 429 && orig.Category == catalog.ContextLengthExceeded && r.Category == catalog.RateLimited {
				// Exception 3: a context phrase on a 429 is a rate limit.
				continue
			}
			if st == 429 && (orig.Rule == "quota_spent_message" || orig.Rule == "words_quota") &&
				r.Category == catalog.RateLimited {
				// Exception 5: quota words on a 429 can mean a per-second
				// quota; the status's rate limit stands (the catalog's
				// phrases and word evidence alike, unless a period or a
				// shortage is named).
				continue
			}
			if st < 500 && overload && strings.HasPrefix(orig.Rule, "words_") && r.Rule == classify.RuleStatus {
				// Exception 6: word evidence of an overload that only a
				// server status can be trusted with ("unavailable" model
				// on a 400 may not exist).
				continue
			}
			if st != c.Status {
				check(t, c.Name, st, sticky, r)
			}
		}
		frame, err := json.Marshal(map[string]map[string]string{"error": {
			"message": orig.Message, "type": orig.Type, "code": orig.Code}})
		if err != nil {
			t.Fatal(err)
		}
		stream := "event: error\ndata: " + string(frame) + "\n\n"
		r := classify.Classify(200, http.Header{"Content-Type": {"text/event-stream"}}, []byte(stream))
		check(t, c.Name, 200, sticky, r)
	}
	if checked < 100 {
		t.Errorf("only %d responses checked; the property needs the body evidence of most fixtures", checked)
	}
	t.Logf("%d published responses re-classified under %d statuses and a 200 stream", checked, len(otherStatuses))
}

func check(t *testing.T, name string, status int, sticky bool, r classify.Result) {
	t.Helper()
	switch {
	case sticky && r.Retryable:
		t.Errorf("%s under %d: %s retryable (rule %s), want non-retryable", name, status, r.Category, r.Rule)
	case !sticky && !r.Retryable:
		t.Errorf("%s under %d: %s not retryable (rule %s), want the overload retryable", name, status, r.Category, r.Rule)
	}
}
