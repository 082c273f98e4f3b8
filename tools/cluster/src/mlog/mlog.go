// Package mlog is this repository's implementation of the small logging API of monis.app/mlog,
// which the Azure Workload Identity webhook imports. The Go module proxy refuses every version of
// monis.app/mlog, so the webhook's build replaces it with this package (install-cluster-tools.sh).
// It covers what the webhook's packages call: leveled, structured JSON lines on stderr through
// logr's funcr (both formats write JSON), and the logr.Logger that controller-runtime is given.
package mlog

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"

	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"
)

// LogLevel is a verbosity; the empty level logs warnings and errors only.
type LogLevel string

const (
	LevelWarning LogLevel = ""
	LevelInfo    LogLevel = "info"
	LevelDebug   LogLevel = "debug"
	LevelTrace   LogLevel = "trace"
	LevelAll     LogLevel = "all"
)

// LogFormat is how lines are written.
type LogFormat string

const (
	FormatJSON LogFormat = "json"
	FormatCLI  LogFormat = "cli"
)

// LogSpec is the global level and format.
type LogSpec struct {
	Level  LogLevel
	Format LogFormat
}

// verbosity of each level in logr's V() terms: warnings at 0, info at 2, debug at 4, trace at 6.
var verbosity = map[LogLevel]int{LevelWarning: 0, LevelInfo: 2, LevelDebug: 4, LevelTrace: 6, LevelAll: 108}

var (
	current  atomic.Int32
	rootSink = newRoot(0)
)

func newRoot(level int) logr.Logger {
	return funcr.NewJSON(func(line string) { fmt.Fprintln(os.Stderr, line) }, funcr.Options{LogTimestamp: true, Verbosity: level})
}

// ValidateAndSetLogLevelAndFormatGlobally sets the level and format every logger of this package uses.
func ValidateAndSetLogLevelAndFormatGlobally(_ context.Context, spec LogSpec) error {
	level, ok := verbosity[spec.Level]
	if !ok {
		return fmt.Errorf("invalid log level %q: use one of '', info, debug, trace, all", spec.Level)
	}
	if spec.Format != FormatJSON && spec.Format != FormatCLI && spec.Format != "" {
		return fmt.Errorf("invalid log format %q", spec.Format)
	}
	// Set once at start-up, before any logger is used.
	current.Store(int32(level))
	rootSink = newRoot(level)
	return nil
}

// Enabled reports whether lines of `level` are written.
func Enabled(level LogLevel) bool { return verbosity[level] <= int(current.Load()) }

// Setup returns the function to call before exit (nothing is buffered here).
func Setup() func() { return func() {} }

// Fatal logs err and exits with status 1.
func Fatal(err error, keysAndValues ...any) {
	rootSink.Error(err, "fatal", keysAndValues...)
	os.Exit(1)
}

// Logr is the logr.Logger for libraries that take one (controller-runtime).
func Logr() logr.Logger { return rootSink }

// Logger logs at the levels the webhook uses.
type Logger interface {
	Error(msg string, err error, keysAndValues ...any)
	Warning(msg string, keysAndValues ...any)
	Info(msg string, keysAndValues ...any)
	Debug(msg string, keysAndValues ...any)
	Trace(msg string, keysAndValues ...any)
	All(msg string, keysAndValues ...any)
	WithValues(keysAndValues ...any) Logger
	WithName(name string) Logger
}

type logger struct {
	names  []string
	values []any
}

// New returns a logger on the global level and format.
func New() Logger { return logger{} }

func (l logger) sink() logr.Logger {
	sink := rootSink
	for _, name := range l.names {
		sink = sink.WithName(name)
	}
	return sink.WithValues(l.values...)
}

func (l logger) at(level LogLevel, msg string, keysAndValues []any) {
	if Enabled(level) {
		l.sink().V(verbosity[level]).Info(msg, keysAndValues...)
	}
}

func (l logger) Error(msg string, err error, keysAndValues ...any) { l.sink().Error(err, msg, keysAndValues...) }
func (l logger) Warning(msg string, keysAndValues ...any)          { l.at(LevelWarning, msg, keysAndValues) }
func (l logger) Info(msg string, keysAndValues ...any)             { l.at(LevelInfo, msg, keysAndValues) }
func (l logger) Debug(msg string, keysAndValues ...any)            { l.at(LevelDebug, msg, keysAndValues) }
func (l logger) Trace(msg string, keysAndValues ...any)            { l.at(LevelTrace, msg, keysAndValues) }
func (l logger) All(msg string, keysAndValues ...any)              { l.at(LevelAll, msg, keysAndValues) }

func (l logger) WithValues(keysAndValues ...any) Logger {
	return logger{names: l.names, values: append(append([]any{}, l.values...), keysAndValues...)}
}

func (l logger) WithName(name string) Logger {
	return logger{names: append(append([]string{}, l.names...), name), values: l.values}
}
