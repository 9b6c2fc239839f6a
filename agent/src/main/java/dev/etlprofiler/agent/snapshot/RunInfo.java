package dev.etlprofiler.agent.snapshot;

import java.util.Map;

/** What every snapshot line says about the run and the JVM. */
public record RunInfo(
    String runId,
    String host,
    long pid,
    String jvmVersion,
    String jvmVendor,
    String agentVersion,
    Map<String, String> labels,
    long jvmStartMillis) {}
