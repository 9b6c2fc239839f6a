package dev.etlprofiler.fw.camel.apps;

import org.apache.camel.builder.RouteBuilder;

/**
 * The airport routes as users write them: lambdas and method references; the split runs its lines
 * one after the other, or on Camel's thread pool ({@code parallelProcessing()}).
 */
public final class LambdaRoutes extends RouteBuilder {
  private final boolean parallel;

  LambdaRoutes(boolean parallel) {
    this.parallel = parallel;
  }

  @Override
  public void configure() {
    errorHandler(defaultErrorHandler().maximumRedeliveries(2).redeliveryDelay(0));
    onException(IllegalStateException.class)
        .maximumRedeliveries(2)
        .redeliveryDelay(0)
        .handled(true)
        .process(e -> AirportRoutes.reject(e))
        .id("reject");

    from("direct:ingest")
        .routeId("ingest")
        .split(body().tokenize("\n"))
        .parallelProcessing(parallel)
        .id("lines")
        .filter(e -> AirportRoutes.isData(e))
        .process(e -> AirportRoutes.parse(e))
        .id("parse")
        .process(AirportRoutes::validate)
        .to("direct:load")
        .end()
        .end();

    from("direct:load")
        .routeId("load")
        .process(AirportRoutes::enrich)
        .id("enrich")
        .aggregate(constant(true), (batch, next) -> AirportRoutes.collect(batch, next))
        .completionSize(50)
        .forceCompletionOnStop()
        .process(e -> AirportRoutes.write(e))
        .id("write");
  }
}
