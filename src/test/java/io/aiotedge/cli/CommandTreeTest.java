package io.aiotedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command of the tree, to the leaves, answers --help with its usage and --version with the
 * version, exit 0, without touching the network or disk (CliIT checks the JAR's own once).
 */
class CommandTreeTest {

    private static void walk(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(path);
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help") && sub.getCommandName().equals(name)) {
                List<String> p = new ArrayList<>(path);
                p.add(name);
                walk(sub, p, out);
            }
        });
    }

    @Test
    void everyCommandToTheLeaves_answersHelpAndVersion() {
        List<List<String>> commands = new ArrayList<>();
        walk(AiotEdgeCommand.commandLine(), List.of(), commands);
        assertTrue(commands.size() >= 30, "the whole tree: " + commands);
        for (List<String> cmd : commands) {
            for (String flag : List.of("--help", "--version")) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                CommandLine cl = AiotEdgeCommand.commandLine();
                cl.setOut(new PrintWriter(out, true));
                cl.setErr(new PrintWriter(err, true));
                List<String> args = new ArrayList<>(cmd);
                args.add(flag);
                int code = cl.execute(args.toArray(String[]::new));
                assertEquals(0, code, cmd + " " + flag + ": " + err);
                String expected = flag.equals("--help") ? "Usage: aiot-edge" : "aiot-edge ";
                assertTrue(flag.equals("--help") ? out.toString().startsWith(expected + (cmd.isEmpty() ? ""
                        : " " + String.join(" ", cmd))) : out.toString().startsWith(expected),
                        cmd + " " + flag + ": " + out);
            }
        }
    }
}
