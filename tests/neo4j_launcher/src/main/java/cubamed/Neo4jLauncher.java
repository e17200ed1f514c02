package cubamed;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.neo4j.cli.ExecutionContext;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.importer.ImportCommand;
import org.neo4j.io.ByteUnit;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import picocli.CommandLine;

/**
 * Runs a real Neo4j Community server (embedded, Bolt only) for the Python tests.
 *
 * <pre>
 * java -jar neo4j-launcher.jar --home DIR --port N --password P
 *      [--import-nodes SPEC]... [--import-relationships SPEC]... [--import-arg ARG]...
 *      [--watch-stdin]
 * </pre>
 *
 * Import specs are passed verbatim to {@code neo4j-admin database import full} as
 * {@code --nodes=SPEC} / {@code --relationships=SPEC}; the import (into a fresh "neo4j"
 * database under DIR) runs before the server starts. Prints exactly one line,
 * {@code READY bolt://127.0.0.1:N}, on stdout; everything else goes to DIR/logs/launcher.log.
 */
public final class Neo4jLauncher {

    public static void main(String[] args) throws Exception {
        Path home = null;
        int port = 7687;
        String password = null;
        boolean watchStdin = false;
        List<String> importArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(args[++i]).toAbsolutePath();
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--password" -> password = args[++i];
                case "--import-nodes" -> importArgs.add("--nodes=" + args[++i]);
                case "--import-relationships" -> importArgs.add("--relationships=" + args[++i]);
                case "--import-arg" -> importArgs.add(args[++i]);
                case "--watch-stdin" -> watchStdin = true;
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        if (home == null || password == null) {
            throw new IllegalArgumentException("--home DIR and --password P are required");
        }

        // Keep the real stdout for the READY line only; all logging goes to a file.
        PrintStream stdout = System.out;
        Files.createDirectories(home.resolve("logs"));
        PrintStream log = new PrintStream(new FileOutputStream(home.resolve("logs/launcher.log").toFile(), true), true);
        System.setOut(log);
        System.setErr(log);

        if (!importArgs.isEmpty()) {
            runImport(home, importArgs, log);
        }

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(Map.of(
                        BoltConnector.enabled, true,
                        BoltConnector.listen_address, new SocketAddress("127.0.0.1", port),
                        GraphDatabaseSettings.auth_enabled, true,
                        GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(128),
                        // Netty's quiet period (default 5 s, twice) made every clean stop take 10 s
                        GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));

        setPassword(dbms, password);
        stdout.println("READY bolt://127.0.0.1:" + port);
        stdout.flush();

        if (watchStdin) {
            while (System.in.read() != -1) {
                // ignore input; EOF means the parent went away
            }
            System.exit(0); // runs the shutdown hook
        }
        Thread.currentThread().join(); // until SIGTERM
    }

    /** The same command class `neo4j-admin database import full` runs. */
    private static void runImport(Path home, List<String> importArgs, PrintStream log) {
        List<String> argv = new ArrayList<>(importArgs);
        argv.add("--overwrite-destination=true");
        argv.add("--report-file=" + home.resolve("logs/import.report")); // default: import.report in the cwd
        argv.add("neo4j");
        log.println("import: " + argv);
        ExecutionContext ctx = new ExecutionContext(home, home.resolve("conf"), log, log, new DefaultFileSystemAbstraction());
        int rc = new CommandLine(new ImportCommand.Full(ctx)).execute(argv.toArray(String[]::new));
        if (rc != 0) {
            log.println("import failed, exit code " + rc);
            System.exit(3);
        }
    }

    /** Give user neo4j the requested password (no forced change); idempotent across restarts. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PLAINTEXT PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
        }
    }
}
