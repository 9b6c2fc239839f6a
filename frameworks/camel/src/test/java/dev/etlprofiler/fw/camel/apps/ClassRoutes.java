package dev.etlprofiler.fw.camel.apps;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;

/** The same routes as {@link LambdaRoutes}, written with classes that implement Camel's types. */
public final class ClassRoutes extends RouteBuilder {
  static final class Reject implements Processor {
    @Override
    public void process(Exchange e) {
      AirportRoutes.reject(e);
    }
  }

  static final class IsData implements Predicate {
    @Override
    public boolean matches(Exchange e) {
      return AirportRoutes.isData(e);
    }
  }

  static final class Parse implements Processor {
    @Override
    public void process(Exchange e) {
      AirportRoutes.parse(e);
    }
  }

  static final class Validate implements Processor {
    @Override
    public void process(Exchange e) {
      AirportRoutes.validate(e);
    }
  }

  static final class Enrich implements Processor {
    @Override
    public void process(Exchange e) {
      AirportRoutes.enrich(e);
    }
  }

  static final class Collect implements AggregationStrategy {
    @Override
    public Exchange aggregate(Exchange batch, Exchange next) {
      return AirportRoutes.collect(batch, next);
    }
  }

  static final class Write implements Processor {
    @Override
    public void process(Exchange e) {
      AirportRoutes.write(e);
    }
  }

  @Override
  public void configure() {
    errorHandler(defaultErrorHandler().maximumRedeliveries(2).redeliveryDelay(0));
    onException(IllegalStateException.class)
        .maximumRedeliveries(2)
        .redeliveryDelay(0)
        .handled(true)
        .process(new Reject())
        .id("reject");

    from("direct:ingest")
        .routeId("ingest")
        .split(body().tokenize("\n"))
        .id("lines")
        .filter(new IsData())
        .process(new Parse())
        .id("parse")
        .process(new Validate())
        .to("direct:load")
        .end()
        .end();

    from("direct:load")
        .routeId("load")
        .process(new Enrich())
        .id("enrich")
        .aggregate(constant(true), new Collect())
        .completionSize(50)
        .forceCompletionOnStop()
        .process(new Write())
        .id("write");
  }
}
