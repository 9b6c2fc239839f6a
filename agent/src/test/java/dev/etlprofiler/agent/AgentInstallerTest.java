package dev.etlprofiler.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentInstallerTest {
  @Test
  void theStartUpLineShowsIntervalsUnderASecondInMilliseconds() {
    assertEquals("250ms", AgentInstaller.duration(Duration.ofMillis(250)));
    assertEquals("10s", AgentInstaller.duration(Duration.ofSeconds(10)));
    assertEquals("1.5s", AgentInstaller.duration(Duration.ofMillis(1500)));
    assertEquals("2m", AgentInstaller.duration(Duration.ofMinutes(2)));
    assertEquals("1m30s", AgentInstaller.duration(Duration.ofSeconds(90)));
  }
}
