#!/usr/bin/env bash
# installable.sh: prove that the modules install as a user gets them.
#
# Publishes every published module of this checkout, as committed at HEAD,
# at the release version into a local file:// module proxy (the layout the
# public proxy serves, zips made by golang.org/x/mod/zip), then, in a
# scratch module outside the repository with GOWORK=off and no replace:
# `go get`s every module at that version, builds and runs a program that
# calls each SDK adapter's Classify and WithRetries, and runs
# `go run github.com/apierr/apierr/cmd/apierr@VERSION explain ...`.
#
# Usage: .ci/installable.sh [VERSION]   (default: the version in RELEASING.md's
# "Next version" line). Needs the network only for third-party modules.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
version=${1:-$(sed -n 's/^Next version: *\(v[0-9.]*\).*/\1/p' RELEASING.md)}
[ -n "$version" ] || { echo "installable: no version"; exit 2; }

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
echo "== release check $version"
(cd internal/release && go run . -root "$root" check "$version")
echo "== publish $version into file://$tmp/proxy"
(cd internal/release && go run . -root "$root" publish "$version" "$tmp/proxy")

# A user's machine: no workspace and a module cache of its own, so that
# nothing left by an earlier run (or by another checkout's run on this
# machine) can stand in for what was just published. Modules of this
# repository come from the local proxy; third-party ones from the
# machine's module cache used as a proxy (its cache/download directory has
# the proxy layout), else from the usual proxy. The checksum database
# does not know the unpublished version, so it is not asked about this
# repository's modules.
upstream=$(go env GOPROXY)
machine_cache=$(go env GOMODCACHE)/cache/download
export GOMODCACHE="$tmp/modcache"
export GOWORK=off GOFLAGS=-mod=mod
export GOPROXY="file://$tmp/proxy,file://$machine_cache,$upstream" GONOSUMDB=github.com/apierr
modules=$(cd "$tmp/proxy" && find . -name list -path '*/@v/list' | sed 's#^\./##; s#/@v/list$##' | sort)
# Each module on its own, in a module that requires nothing else: what it
# requires (the core at its release version) must come from the proxy.
for m in $modules; do
	echo "== go get $m@$version (alone)"
	mkdir -p "$tmp/alone" && cd "$tmp/alone" && rm -f go.mod go.sum
	go mod init example.com/alone >/dev/null 2>&1
	go get "$m@$version"
	grep -q '^replace' go.mod && { echo "installable: $m: the user's go.mod has a replace"; exit 1; }
	cd "$root"
done
# A program that uses the adapters, which bring the core with them.
mkdir -p "$tmp/user" && cd "$tmp/user"
go mod init example.com/user >/dev/null 2>&1
for m in $modules; do
	case "$m" in */adapters/* | */otelapierr) go get "$m@$version" ;; esac
done
cat > main.go <<'GO'
// A user's program: each SDK adapter's Classify and WithRetries, on the
// core's retrying transport, observed by otelapierr.
package main

import (
	"errors"
	"fmt"

	anthropic "github.com/anthropics/anthropic-sdk-go/v2"
	openai "github.com/openai/openai-go/v3"
	goopenailib "github.com/sashabaranov/go-openai"

	"github.com/apierr/apierr/adapters/anthropicsdk"
	"github.com/apierr/apierr/adapters/goopenai"
	"github.com/apierr/apierr/adapters/openaigo"
	"github.com/apierr/apierr/otelapierr"
	"github.com/apierr/apierr/policy"
	"github.com/apierr/apierr/retryhttp"
)

func main() {
	tel, err := otelapierr.New(otelapierr.Config{})
	if err != nil {
		panic(err)
	}
	client := retryhttp.NewClient(&retryhttp.Transport{Base: tel.Transport(nil), Policy: &policy.Policy{Observer: tel.Observe}})
	_ = openai.NewClient(openaigo.WithRetries(client))
	_ = anthropic.NewClient(anthropicsdk.WithRetries(client))
	_ = goopenailib.NewClientWithConfig(goopenai.WithRetries(goopenailib.DefaultConfig("k"), client))
	err = errors.New("not an SDK error")
	_, a := openaigo.Classify(err)
	_, b := anthropicsdk.Classify(err)
	_, c := goopenai.Classify(err)
	fmt.Println("adapters:", a, b, c)
}
GO
echo "== go build and run the user's program"
go build -o "$tmp/userprog" . && "$tmp/userprog"
echo "== go run github.com/apierr/apierr/cmd/apierr@$version explain"
out=$(go run "github.com/apierr/apierr/cmd/apierr@$version" explain --status 429 --header 'Retry-After: 20' \
	--body '{"error":{"message":"Rate limit reached","type":"tokens","code":"rate_limit_exceeded"}}')
echo "$out"
echo "$out" | grep -q rate_limited || { echo "installable: explain did not say rate_limited"; exit 1; }
cd "$root"
echo "== installable: every module installs at $version"
