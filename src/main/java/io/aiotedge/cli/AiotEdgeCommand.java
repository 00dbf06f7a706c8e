package io.aiotedge.cli;

import io.aiotedge.core.ConfigException;
import io.aiotedge.core.StartupException;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root command. Exit codes (the operational contract): 0 clean, 2 bad usage or config,
 * 1 runtime failure.
 */
@Command(name = "aiot-edge", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "The AIoT edge stack for motor fleets in one JAR.",
        subcommands = {RunCommand.class, DemoCommand.class, SimulateCommand.class, ConfigCommand.class,
                UsersCommand.class, CertsCommand.class,
                DevicesCommand.class, ModelsCommand.class, PipelineCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class AiotEdgeCommand {
    public static final int EXIT_OK = 0;
    public static final int EXIT_RUNTIME = 1;
    public static final int EXIT_USAGE = 2;
    private static final Logger log = LoggerFactory.getLogger(AiotEdgeCommand.class);

    public static int mainWithExitCode(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new AiotEdgeCommand());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof ConfigException) {
                err.println(e.getMessage());
                return EXIT_USAGE;
            }
            if (e instanceof ApiClient.ApiError || e instanceof java.net.ConnectException) {
                err.println(
                        "Failed: " + (e.getMessage() == null ? "cannot connect to the platform API" : e.getMessage()));
                return EXIT_RUNTIME;
            }
            if (e instanceof StartupException) {
                log.debug("Startup failure", e);
                err.println("Startup failed: " + e.getMessage() + causeOf(e));
                return EXIT_RUNTIME;
            }
            log.error("Failed", e);
            err.println("Failed: " + e);
            return EXIT_RUNTIME;
        });
        return cl;
    }

    private static String causeOf(Throwable e) {
        Throwable c = e.getCause();
        return c == null || c.getMessage() == null ? "" : " (" + c.getMessage() + ")";
    }
}
