package dev.etlprofiler.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The agent's whole configuration, after defaults, file, agent arguments, environment and -D. */
public record ProfilerConfig(
    boolean enabled,
    Path outputDir,
    Duration interval,
    boolean resourcesEnabled,
    Duration resourcesInterval,
    String processMetrics,
    String runId,
    Map<String, String> labels,
    String sessionDataset,
    String sessionSource,
    boolean annotations,
    List<Target> targets,
    List<String> presets,
    List<String> excludeClasses,
    List<String> excludePackages,
    int maxOperations,
    double cpuBudgetPercent,
    boolean httpClients,
    int maxEndpointsPerHost,
    List<String> pathTemplates,
    boolean jdbcClients,
    boolean kafkaClients,
    boolean debug) {}
