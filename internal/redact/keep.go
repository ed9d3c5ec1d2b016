package redact

import "strings"

// This file holds what is kept: identifiers, id prefixes, UUIDs and
// labelled ids or hashes, which look like credentials but are not.

// identifier reports whether t is shaped like an identifier rather than a
// random key: split at '-', '_', '.', '/' and ':', every part is a number,
// a word (at most three changes of case), or short (at most six
// characters: "8x7B", "v0", "4o").
func identifier(t string) bool {
	start := 0
	for i := 0; i <= len(t); i++ {
		if i < len(t) {
			switch t[i] {
			case '-', '_', '.', '/', ':':
			default:
				continue
			}
		}
		if !wordish(t[start:i]) {
			return false
		}
		start = i + 1
	}
	return true
}

// wordish reports whether p is a number, a word or a short part.
func wordish(p string) bool {
	if len(p) <= 6 {
		return true
	}
	digits, letters, changes := 0, 0, 0
	lastUpper := p[0] >= 'A' && p[0] <= 'Z'
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c|0x20 >= 'a' && c|0x20 <= 'z':
			letters++
			up := c <= 'Z'
			if up != lastUpper {
				changes++
			}
			lastUpper = up
		default:
			return false
		}
	}
	return letters == 0 || digits == 0 && (changes <= 3 || camel(p))
}

// camel reports whether p, letters only, is words written in camel case
// ("InvalidApiKey", "FailedToResolveAPIKey", "getHTTPResponse"): an
// optional lower-case first word, then words of one to five upper-case
// letters and two or more lower-case ones, one of which may have a single
// lower-case letter ("To") and the last none (an acronym: "ID"). Random
// letters break these runs: a lone lower-case letter between capitals is
// one case in two.
func camel(p string) bool {
	i := 0
	for i < len(p) && p[i] >= 'a' {
		i++
	}
	short := false
	for i < len(p) {
		j := i
		for j < len(p) && p[j] < 'a' {
			j++
		}
		k := j
		for k < len(p) && p[k] >= 'a' {
			k++
		}
		up, low := j-i, k-j
		switch {
		case up > 5:
			return false
		case low >= 2:
		case low == 1 && !short:
			short = true
		case low == 0 && up >= 2:
			// An acronym at the end.
		default:
			return false
		}
		i = k
	}
	return true
}

// idPrefixes start the ids that providers put in their messages (request,
// completion, message, tool call, file, batch, organisation, project ids):
// operators need them, so they are kept where a credential word is near.
var idPrefixes = [...]string{
	"req_", "request_", "chatcmpl-", "cmpl-", "msg_", "msg-", "toolu_", "srvtoolu_", "call_",
	"run_", "thread_", "asst_", "file-", "file_", "batch_", "org-", "org_", "proj_", "user-",
	"resp_", "ft-", "ftjob-", "ftckpt_", "vs_", "step_", "evt_", "compl_", "gen-", "trace-",
	"conv_", "item_", "fc_", "rs_", "modr-", "embd-", "sess_", "span-", "job-", "ws_",
}

// idPrefixed reports whether t starts with an id prefix.
func idPrefixed(t string) bool {
	for _, p := range idPrefixes {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// isUUIDPrefix reports whether t starts with a UUID (8-4-4-4-12 hex digits).
func isUUIDPrefix(t string) bool {
	if len(t) < 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		switch i {
		case 8, 13, 18, 23:
			if t[i] != '-' {
				return false
			}
		default:
			if class[t[i]]&cHex == 0 {
				return false
			}
		}
	}
	return true
}

// labelled reports whether a label before s[i] says that the value at s[i]
// is an identifier or a hash, not a credential: the word right before it
// (separators, quotes and brackets skipped) names an id, an account, an
// organisation, a project, a request or a trace ("Request ID: ...",
// "for account '...'"), or a word among the few before it names a hash
// ("Key Hash (Token) = ...", "sha256:"). Only s[from:i] is read: from is
// where the last secret masked ends, so that a label word inside it, which
// the mask replaces, labels nothing, as on a second pass.
func labelled(s string, i, from int) bool {
	k := i
	first := true
	for words := 0; words < 4 && k > from && i-k < 40; words++ {
		for k > from && i-k < 40 && class[s[k-1]]&cName == 0 {
			k--
		}
		j := k - 1
		for j >= from && k-j <= 32 && class[s[j]]&cName != 0 {
			j--
		}
		w := s[j+1 : k]
		if w == "" {
			return false
		}
		if first && labelWord(w, idLabels[:]) || labelWord(w, hashLabels[:]) {
			return true
		}
		first = false
		k = j + 1
	}
	return false
}

// idLabels name identifiers whose values are kept.
var idLabels = [...]string{"id", "ids", "trace", "traceparent", "uuid", "account", "org", "organization", "organisation", "project", "tenant", "function", "deployment", "request", "ref", "reference", "correlation", "span", "commit", "nonce"}

// hashLabels name hashes and digests.
var hashLabels = [...]string{"hash", "digest", "checksum", "sha", "sha1", "sha256", "sha512", "md5", "fingerprint", "etag"}

// labelWord reports whether the word w is one of labels or ends with one
// as its last part: after '-', '_' or '.', or a change to upper case
// ("x-request-id", "RequestId", "requestID"), not "said" or "paid".
func labelWord(w string, labels []string) bool {
	for _, x := range labels {
		if len(w) < len(x) || !strings.EqualFold(w[len(w)-len(x):], x) {
			continue
		}
		if len(w) == len(x) {
			return true
		}
		c, d := w[len(w)-len(x)-1], w[len(w)-len(x)]
		if c == '-' || c == '_' || c == '.' || d >= 'A' && d <= 'Z' && !(c >= 'A' && c <= 'Z') {
			return true
		}
	}
	return false
}
