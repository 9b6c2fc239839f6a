package dev.etlprofiler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Endpoint and SQL names: safe (no secrets, no literals) and of bounded cardinality. */
class NamingTest {

  @Test
  void batchSizesFallInDecades() {
    assertEquals(
        List.of(
            "batchSize1",
            "batchSize2to10",
            "batchSize2to10",
            "batchSize11to100",
            "batchSize11to100",
            "batchSize101to1000",
            "batchSize101to1000",
            "batchSizeOver1000"),
        java.util.stream.IntStream.of(1, 2, 10, 11, 100, 101, 1000, 1001)
            .mapToObj(n -> Counter.name(Counter.batchSize(n)))
            .toList());
  }
}
