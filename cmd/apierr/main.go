// Command apierr classifies error responses from AI inference APIs from the
// command line, with the classify and policy packages.
//
// It has four subcommands.
//
// The explain subcommand explains one response to a human: its category,
// whether a retry can help and which rule decided, what the server said
// (with API keys and bearer tokens redacted), how long the server asked the
// client to wait, the rate-limit window, a one-line hint, and what the
// default retry policy does: retry after how long, then on which schedule,
// or why not. The response is given with flags:
//
//	apierr explain --status 429 --header 'Retry-After: 20' \
//		--body '{"error":{"message":"Rate limit reached","type":"tokens","code":"rate_limit_exceeded"}}'
//	apierr explain --status 400 --body @response.json
//
// or, without --status, read from standard input as curl -i prints it (the
// last block of a response that has several, such as one that follows
// "HTTP/1.1 100 Continue", is the one explained):
//
//	curl -si https://api.openai.com/v1/models -H 'Authorization: Bearer sk-...' | apierr explain
//
// The classify subcommand classifies responses in bulk, for programs. It
// reads JSON Lines from standard input, one response per line:
//
//	{"status": 429, "headers": {"Retry-After": "20"}, "body": "..."}
//
// and writes one JSON object per input line, in order, with exactly the keys
// category, retryable, status, message, type, code, param, format, hint,
// retry_after_ms, ratelimit_reset_ms, request_id, rule and gateway, in that
// order:
//
//	apierr classify < responses.jsonl > results.jsonl
//
// A line that cannot be read yields {"line": N, "error": "..."} in its place
// and makes the exit status 1; blank lines are skipped.
//
// The policy subcommand prints the default retry policy of the policy
// package: per category, the attempts, the time limit, how a server's delay
// is used and the wait before each retry (attempt -> delay range):
//
//	apierr policy
//	apierr policy rate_limited unavailable
//
// The sim subcommand runs the deterministic retry simulation (many clients,
// one rate-limited server, a virtual clock) and prints how the default
// policy compares with the origin document's loop and backoff/v4's
// defaults:
//
//	apierr sim --seeds 5
//
// Run "apierr help" or "apierr help explain" for the details.
//
// Exit status: 0 on success, 1 when a line given to classify was bad or
// output could not be written, 2 for a usage error or input that explain
// cannot read.
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/apierr/apierr/internal/redact"
)

// Exit statuses of run.
const (
	// exitOK means success.
	exitOK = 0
	// exitFail means that some input line was bad or that a read or write
	// failed.
	exitFail = 1
	// exitUsage means a usage error or input that cannot be read at all.
	exitUsage = 2
)

// now is the clock given to the classifier, used for Retry-After HTTP-dates
// and absolute rate-limit reset times. Tests replace it with a fixed time.
var now = time.Now

// usage is the top-level help text.
const usage = `apierr classifies error responses from AI inference APIs.

Usage:

	apierr explain [flags]     explain one response to a human
	apierr classify [flags]    classify JSON Lines from standard input
	apierr policy [category]   print the default retry policy and schedules
	apierr sim [flags]         run the retry simulation (default policy vs common loops)
	apierr help [command]      show this help or a command's help

explain takes the response from --status, --header and --body, or, without
--status, reads it from standard input as "curl -i" prints it:

	apierr explain --status 429 --header 'Retry-After: 20' --body @body.json
	curl -si https://api.example.com/v1/chat/completions ... | apierr explain

classify reads one JSON object per line, such as
{"status": 429, "headers": {"Retry-After": "20"}, "body": "..."}, and writes
one JSON object per line with the category, retryability and the rest.

Exit status: 0 on success, 1 when a classify input line was bad, 2 for a
usage error.
`

// main runs the command with the process's arguments and standard streams
// and exits with run's status.
func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run runs the apierr command with the arguments that follow the program
// name and returns the exit status. It writes results to stdout and
// diagnostics to stderr; help that was asked for goes to stdout.
//
// Everything written to stderr passes through redaction first: diagnostics
// quote the user's input (a bad --header value, a stray argument, a file
// name), and the flag package quotes invalid flag values itself.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	stderr = redactWriter{stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "explain":
		return runExplain(rest, stdin, stdout, stderr)
	case "classify":
		return runClassify(rest, stdin, stdout, stderr)
	case "policy":
		return runPolicy(rest, stdout, stderr)
	case "sim":
		return runSim(rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		return runHelp(rest, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "apierr: unknown command %q\n\n%s", cmd, usage)
		return exitUsage
	}
}

// runHelp prints the top-level help, or with one argument the help of that
// subcommand, to stdout.
func runHelp(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		fmt.Fprint(stdout, usage)
		return exitOK
	case len(args) == 1 && args[0] == "explain":
		fs, _ := explainFlags(stdout)
		printUsage(fs, explainUsage)
		return exitOK
	case len(args) == 1 && args[0] == "classify":
		fs, _ := classifyFlags(stdout)
		printUsage(fs, classifyUsage)
		return exitOK
	case len(args) == 1 && args[0] == "policy":
		printUsage(newFlagSet("policy", stdout), policyUsage)
		return exitOK
	case len(args) == 1 && args[0] == "sim":
		fs := newFlagSet("sim", stdout)
		simFlags(fs)
		printUsage(fs, simUsage)
		return exitOK
	}
	if len(args) > 1 {
		fmt.Fprintf(stderr, "apierr help: want at most one command, got %d\n\n%s", len(args), usage)
		return exitUsage
	}
	fmt.Fprintf(stderr, "apierr help: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// redactWriter redacts each Write before passing it on. Every diagnostic is
// written with a single Write (one fmt.Fprintf call), so a secret cannot be
// split between two calls.
type redactWriter struct{ w io.Writer }

// Write writes p with secrets redacted and reports len(p) on success, as
// io.Writer requires, although fewer bytes may have been written.
func (r redactWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(r.w, redact.String(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
