package io.aiotedge.cli;

import io.aiotedge.storage.Restore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "restore", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Unpack a backup zip (POST /api/v1/admin/backup) into a new data directory, offline.",
                "Refuses a non-empty target and any entry outside platform/, keys/, models/. On PostgreSQL, "
                        + "pg_restore the database separately (docs/operations.md).",
                "Exit 0 when restored, 2 when refused."})
final class RestoreCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "ZIP", description = "the backup zip")
    Path from;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "a new or empty data directory")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Restore.Result r;
        try {
            r = Restore.into(from, dataDir);
        } catch (Restore.Refused e) {
            spec.commandLine().getErr().println("Refused: " + e.getMessage());
            return AiotEdgeCommand.EXIT_USAGE;
        }
        spec.commandLine().getOut().println("Restored " + r.files() + " files from " + from + " into " + dataDir
                + " (database: " + r.database() + ("h2".equals(r.database()) ? ", in the zip"
                        : ", not in the zip: pg_restore its dump")
                + ")");
        return 0;
    }
}
