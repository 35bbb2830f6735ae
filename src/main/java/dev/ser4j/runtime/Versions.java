package dev.ser4j.runtime;

import dev.ser4j.cpu.Sgemm;

import java.util.LinkedHashMap;
import java.util.Map;

/** The software and machine a result was produced with, for reports. */
public final class Versions {
    private Versions() {}

    public static Map<String, String> all() {
        Map<String, String> v = new LinkedHashMap<>();
        String own = Versions.class.getPackage().getImplementationVersion();
        v.put("ser4j", own == null ? "development build" : own);
        v.put("java", Runtime.version().toString());
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        v.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        v.put("sgemm", Sgemm.describe());
        v.put("conv", dev.ser4j.cpu.ConvAlgorithm.describe());
        return v;
    }
}
