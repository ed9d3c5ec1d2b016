package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// parseFlags parses args with fs, which must have been made with
// flag.ContinueOnError. It reports whether the command should go on; when
// it should not, it returns the exit status: exitOK after printing the help
// that -h asked for to stdout, exitUsage after printing the flag error and
// the help to stderr.
func parseFlags(fs *flag.FlagSet, text string, args []string, stdout, stderr io.Writer) (status int, ok bool) {
	if status, ok = parseFlagsArgs(fs, text, args, stdout, stderr); !ok {
		return status, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "apierr %s: unexpected argument %q\n\n", fs.Name(), fs.Arg(0))
		printUsage(fs, text)
		return exitUsage, false
	}
	return exitOK, true
}

// parseFlagsArgs is parseFlags for a subcommand that takes arguments after
// its flags: fs.Args() holds them.
func parseFlagsArgs(fs *flag.FlagSet, text string, args []string, stdout, stderr io.Writer) (status int, ok bool) {
	fs.SetOutput(stderr)
	fs.Usage = func() {} // printed below, to the right stream
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		printUsage(fs, text)
		return exitOK, false
	case err != nil:
		// The flag package has already printed the error itself.
		fmt.Fprintln(stderr)
		printUsage(fs, text)
		return exitUsage, false
	}
	return exitOK, true
}

// newFlagSet returns an empty flag set for subcommand name, writing to out.
func newFlagSet(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}

// printUsage writes a subcommand's help text and then its flags to the
// flag set's output.
func printUsage(fs *flag.FlagSet, text string) {
	fmt.Fprint(fs.Output(), text)
	fmt.Fprintln(fs.Output(), "\nFlags:")
	fs.PrintDefaults()
}

// isSet reports whether the flag called name was given on the command line.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}

// usageError prints a usage error for the subcommand fs belongs to, then
// the subcommand's help, and returns exitUsage.
func usageError(fs *flag.FlagSet, text string, stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "apierr %s: %s\n\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.SetOutput(stderr)
	printUsage(fs, text)
	return exitUsage
}
