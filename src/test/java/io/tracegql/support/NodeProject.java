package io.tracegql.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Node.js project under {@code src/test} whose packages are pinned by its package-lock.json: installed
 * once with {@code npm ci}, then its scripts run from the repository's root.
 */
public final class NodeProject {

    private final Path directory;
    private final String installedPackage;

    /** The project in this directory; {@code installedPackage} is there once it was installed. */
    public NodeProject(String directory, String installedPackage) {
        this.directory = Path.of(directory);
        this.installedPackage = installedPackage;
    }

    public Path script(String name) {
        return directory.resolve(name);
    }

    /** Installs the pinned packages (npm ci) when they are not there yet. */
    public synchronized void install() throws IOException, InterruptedException {
        if (Files.isDirectory(directory.resolve("node_modules").resolve(installedPackage))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, npm.waitFor(), () -> "npm ci failed in " + directory + ": " + output);
    }

    /**
     * Installs the project, runs one of its scripts with these environment variables to its end (it must
     * exit 0 within the time given) and returns the lines of JSON it printed.
     */
    public List<String> run(String script, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        install();
        ProcessBuilder node = new ProcessBuilder("node", script(script).toString());
        node.environment().putAll(environment);
        Path stderr = Files.createTempFile(script, ".log");
        node.redirectError(stderr.toFile());
        Process process = node.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String errors = Files.readString(stderr);
        assertTrue(finished, () -> script + " did not finish: " + errors);
        assertEquals(0, process.exitValue(), () -> script + " failed: " + stdout + errors);
        return stdout.lines().filter(line -> line.startsWith("{")).toList();
    }
}
