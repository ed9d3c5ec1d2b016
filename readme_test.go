package apierr_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/catalog"
)

// TestReadmeCategories keeps the README's category table in step with the
// catalog: names, default retryability and hints.
func TestReadmeCategories(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(data), "| category | retryable by default | what to do |")
	if !ok {
		t.Fatal("README has no category table")
	}
	var got []string
	for _, line := range strings.Split(table, "\n")[2:] {
		if !strings.HasPrefix(line, "| `") {
			break
		}
		got = append(got, line)
	}
	var want []string
	for _, c := range catalog.Categories() {
		retry := "no"
		switch {
		case c == catalog.Unknown:
			retry = "only for 5xx"
		case c == catalog.ServerError:
			retry = "yes (not 501)"
		case c.Retryable():
			retry = "yes"
		}
		want = append(want, "| `"+c.String()+"` | "+retry+" | "+c.Hint()+" |")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("README category table (-want +got):\n%s", diff)
	}
}

// TestReadmeNextSteps keeps the README's table of the default action and
// scope by category in step with catalog.NextAction.
func TestReadmeNextSteps(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(data), "| category | action | scope |")
	if !ok {
		t.Fatal("README has no table of actions by category")
	}
	var got []string
	for _, line := range strings.Split(table, "\n")[2:] {
		if !strings.HasPrefix(line, "| `") {
			break
		}
		got = append(got, line)
	}
	var want []string
	for _, c := range catalog.Categories() {
		if c == catalog.Unknown {
			want = append(want, "| `unknown` | `retry` when retryable (5xx), else `stop` | `provider` for a 5xx, else `request` |")
			if a, s := catalog.NextAction(c, 503, true); a != catalog.ActionRetry || s != catalog.ScopeProvider {
				t.Errorf("unknown 503: %v %v", a, s)
			}
			if a, s := catalog.NextAction(c, 418, false); a != catalog.ActionStop || s != catalog.ScopeRequest {
				t.Errorf("unknown 418: %v %v", a, s)
			}
			continue
		}
		a, s := catalog.NextAction(c, 0, c.Retryable())
		want = append(want, "| `"+c.String()+"` | `"+a.String()+"` | `"+s.String()+"` |")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("README table of actions (-want +got):\n%s", diff)
	}
}
