// Command finks-ferretdb runs FerretDB v1 (the MongoDB wire protocol on SQLite) for local
// development and tests, where no MongoDB binary can be downloaded and no Docker engine runs.
//
// It embeds FerretDB's public package instead of building cmd/ferretdb: that command panics at
// start unless it is built from FerretDB's own checkout, because build/version/version.txt is a
// generated file absent from the module (https://github.com/FerretDB/FerretDB/issues/2982).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data-dir", "", "directory for the SQLite files, one per database (required)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	if *dataDir == "" {
		fmt.Fprintln(os.Stderr, "finks-ferretdb: --data-dir is required (an existing or creatable directory)")
		os.Exit(2)
	}
	abs, err := filepath.Abs(*dataDir)
	if err == nil {
		err = os.MkdirAll(abs, 0o755)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "finks-ferretdb: cannot use --data-dir %q: %v\n", *dataDir, err)
		os.Exit(2)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "finks-ferretdb: --log-level %q: %v\n", *logLevel, err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// SQLite URLs name a directory and must end with a slash.
	db, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "finks-ferretdb: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	fmt.Fprintf(os.Stderr, "finks-ferretdb: listening on %s, data in %s\n", *listen, abs)
	if err := db.Run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintf(os.Stderr, "finks-ferretdb: %v\n", err)
		os.Exit(1)
	}
}
