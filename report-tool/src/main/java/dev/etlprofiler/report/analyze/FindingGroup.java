package dev.etlprofiler.report.analyze;

import dev.etlprofiler.report.analyze.Finding.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The findings about one subject (an operation, or the process) together: one entry with all their
 * evidence, instead of the same stage once per rule.
 *
 * @param subject what the findings concern
 * @param severity the most serious of them
 * @param findings the findings, most serious first
 * @param evidence every finding's evidence in one map: a name given by several findings with the
 *     same value appears once; with different values, each after the first is named "name (rule)"
 */
public record FindingGroup(
    String subject, Severity severity, List<Finding> findings, Map<String, String> evidence) {

  /** Groups findings by subject, keeping their order (most serious first, as analyze sorts). */
  public static List<FindingGroup> of(List<Finding> findings) {
    Map<String, List<Finding>> bySubject = new LinkedHashMap<>();
    for (Finding f : findings) {
      bySubject.computeIfAbsent(f.subject(), k -> new ArrayList<>()).add(f);
    }
    List<FindingGroup> groups = new ArrayList<>();
    for (Map.Entry<String, List<Finding>> e : bySubject.entrySet()) {
      List<Finding> list = new ArrayList<>(e.getValue());
      list.sort((a, b) -> b.severity().compareTo(a.severity()));
      Map<String, String> evidence = new LinkedHashMap<>();
      for (Finding f : list) {
        f.evidence()
            .forEach(
                (k, v) -> {
                  String have = evidence.get(k);
                  if (have == null) {
                    evidence.put(k, v);
                  } else if (!have.equals(v)) {
                    evidence.put(k + " (" + f.rule() + ")", v);
                  }
                });
      }
      groups.add(new FindingGroup(e.getKey(), list.get(0).severity(), List.copyOf(list), evidence));
    }
    groups.sort((a, b) -> b.severity().compareTo(a.severity()));
    return groups;
  }
}
