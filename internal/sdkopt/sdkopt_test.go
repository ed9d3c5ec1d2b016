package sdkopt_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/apierr/apierr/internal/sdkopt"
)

type config struct{ applied []string }

// set is an option that records its name, or fails with err.
func set(name string, err error) sdkopt.Func[*config] {
	return func(c *config) error {
		if err != nil {
			return err
		}
		c.applied = append(c.applied, name)
		return nil
	}
}

func TestBoth(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		a, b    sdkopt.Func[*config]
		want    []string
		wantErr error
	}{
		{"in order", set("a", nil), set("b", nil), []string{"a", "b"}, nil},
		{"first fails", set("a", boom), set("b", nil), nil, boom},
		{"second fails", set("a", nil), set("b", boom), []string{"a"}, boom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c config
			err := sdkopt.Both[*config](tt.a, tt.b).Apply(&c)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, c.applied); diff != "" {
				t.Errorf("applied (-want +got):\n%s", diff)
			}
		})
	}
}
