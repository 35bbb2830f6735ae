package dev.ser4j.runtime;

import dev.ser4j.cpu.Sgemm;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The software and machine a result was produced with, for reports. */
public final class Versions {
    private Versions() {}

    /** What the build recorded in {@code build.properties} (version, git commit); empty when it is absent. */
    private static final Properties BUILD = build();

    private static Properties build() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("build.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // a report without the commit is still a report
        }
        return p;
    }

    /** ser4j's version: the jar's manifest, else what the build recorded, else "development build". */
    public static String ser4j() {
        String own = Versions.class.getPackage().getImplementationVersion();
        return own != null ? own : BUILD.getProperty("version", "development build");
    }

    /**
     * The git commit ser4j was built from ({@code git rev-parse --short HEAD}, with {@code -dirty} when the tree had
     * uncommitted changes), or {@code unknown} when it was built without git.
     */
    public static String commit() {
        return BUILD.getProperty("commit", "unknown");
    }

    /** ser4j's version and commit, the Java runtime, the OS, the CPU count and the sgemm in use, by name. */
    public static Map<String, String> all() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("ser4j", ser4j());
        v.put("commit", commit());
        v.put("java", Runtime.version().toString());
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        v.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        v.put("sgemm", Sgemm.describe());
        v.put("conv", dev.ser4j.cpu.ConvAlgorithm.describe());
        return v;
    }
}
