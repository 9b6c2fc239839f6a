package dev.etlprofiler.report.render;

import dev.etlprofiler.report.analyze.Finding;
import dev.etlprofiler.report.cost.CostReport;
import dev.etlprofiler.report.model.Profile;
import java.util.List;

/** Everything a report shows: the merged profile, the findings and the cost estimate. */
public record Report(Profile profile, List<Finding> findings, CostReport cost) {}
