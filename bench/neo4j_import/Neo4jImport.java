import java.nio.file.Path;
import java.util.Arrays;

import org.neo4j.cli.ExecutionContext;
import org.neo4j.importer.ImportCommand;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import picocli.CommandLine;

/**
 * `neo4j-admin database import full` alone, in a JVM of its own, for bench/bench_ftm.py: the same
 * command class Neo4j's neo4j-admin runs (from tests/neo4j_launcher's jar, which embeds Neo4j
 * Community), with no server started after it, so that the bench can take the importer's own wall
 * and CPU time from the process.
 *
 * <pre>
 * java -cp neo4j-launcher.jar:CLASSES Neo4jImport HOME [neo4j-admin database import full options...] DATABASE
 * </pre>
 */
public final class Neo4jImport {
    public static void main(String[] args) {
        Path home = Path.of(args[0]).toAbsolutePath();
        ExecutionContext ctx = new ExecutionContext(home, home.resolve("conf"), System.out, System.err, new DefaultFileSystemAbstraction());
        int rc = new CommandLine(new ImportCommand.Full(ctx)).execute(Arrays.copyOfRange(args, 1, args.length));
        System.exit(rc);
    }
}
