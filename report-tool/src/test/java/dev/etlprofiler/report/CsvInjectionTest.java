package dev.etlprofiler.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etlprofiler.report.cost.CostEstimator;
import dev.etlprofiler.report.cost.CostModel;
import dev.etlprofiler.report.model.OperationKey;
import dev.etlprofiler.report.model.Profile;
import dev.etlprofiler.report.render.CsvRenderer;
import dev.etlprofiler.report.render.Report;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Text that a spreadsheet would run as a formula is neutralised as OWASP recommends (a leading
 * single quote, the cell quoted); numbers, negative ones included, stay numbers.
 */
class CsvInjectionTest {
  @Test
  void textCellsStartingAFormulaAreNeutralisedAndNegativeNumbersAreNot() {
    Profile p = new Profile();
    Profiles.jvm(p, "r", 0, 1000);
    // each name, and its cell as written: the path and name columns are both the name
    String[][] cases = {
      {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
      {"+1+1", "\"'+1+1\""},
      {"-2+3", "\"'-2+3\""},
      {"@SUM(A1)", "\"'@SUM(A1)\""},
      {"\tx", "\"'\tx\""},
      {"\rx", "\"'\rx\""},
      {"plain-name", "plain-name"},
    };
    for (String[] c : cases) {
      // calls but no timed call: its percentiles and max are the number -1
      p.operation(new OperationKey(null, null, "method", List.of(c[0]))).addCalls(1, 0, false);
    }
    String csv =
        new CsvRenderer()
            .render(
                new Report(
                    p, List.of(), new CostEstimator().estimate(p, CostModel.defaults(), 1.0)))
            .get("operations");
    for (String[] c : cases) {
      String row = c[1] + "," + c[1] + ",method,,,1,false,0,-1,-1,-1,-1,0,0,0\n";
      assertTrue(csv.contains("\n" + row), "expected the row " + row + " in\n" + csv);
    }
  }
}
