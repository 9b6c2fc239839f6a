package dev.etlprofiler.fw.camel.apps;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A Camel job as users write one, run in a child JVM by the tests: sends a sample of airports.csv
 * through the routes of {@link LambdaRoutes} ({@code lambdas}; {@code parallel}: the split on a
 * thread pool) or {@link ClassRoutes} ({@code classes}), prints its output and Camel's own counts,
 * read from Camel's JMX management (per route: {@code route ROUTE total=… failed=… handled=…
 * redelivered=…}; per processor: {@code node ID route=… total=… failed=…}) and its processors'
 * counts ({@code count NAME=…}).
 */
public final class CamelAirportsJob {
  public static void main(String[] args) throws Exception {
    String style = args.length > 0 ? args[0] : "lambdas";
    RouteBuilder routes =
        switch (style) {
          case "classes" -> new ClassRoutes();
          case "parallel" -> new LambdaRoutes(true);
          default -> new LambdaRoutes(false);
        };
    String csv;
    try (InputStream in = CamelAirportsJob.class.getResourceAsStream("/airports-sample.csv")) {
      csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    CamelContext camel = new DefaultCamelContext();
    camel.addRoutes(routes);
    camel.start();
    ProducerTemplate template = camel.createProducerTemplate();
    try {
      template.sendBody("direct:ingest", csv);
      System.out.println("ingest ok");
    } catch (CamelExecutionException e) {
      System.out.println("ingest failed: " + e.getCause().getClass().getName());
    }
    ManagedCamelContext managed =
        camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
    // forceCompletionOnStop: the last batch is written when the routes stop
    camel.getRouteController().stopRoute("load");
    camel.getRouteController().stopRoute("ingest");
    for (Route route : camel.getRoutes()) {
      ManagedRouteMBean r = managed.getManagedRoute(route.getRouteId());
      System.out.println(
          "route "
              + route.getRouteId()
              + " total="
              + r.getExchangesTotal()
              + " failed="
              + r.getExchangesFailed()
              + " handled="
              + r.getFailuresHandled()
              + " redelivered="
              + r.getRedeliveries());
    }
    // every processor Camel manages, from its JMX MBeans: id, route, exchanges, failures
    MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    TreeMap<String, String> nodes = new TreeMap<>();
    for (ObjectName name :
        jmx.queryNames(new ObjectName("org.apache.camel:type=processors,*"), null)) {
      String id = (String) jmx.getAttribute(name, "ProcessorId");
      nodes.put(
          id,
          "node "
              + id
              + " route="
              + jmx.getAttribute(name, "RouteId")
              + " total="
              + jmx.getAttribute(name, "ExchangesTotal")
              + " failed="
              + jmx.getAttribute(name, "ExchangesFailed"));
    }
    nodes.values().forEach(System.out::println);
    System.out.println("count parsed=" + AirportRoutes.PARSED.get());
    System.out.println("count validateAttempts=" + AirportRoutes.VALIDATE_ATTEMPTS.get());
    System.out.println("count enrichAttempts=" + AirportRoutes.ENRICH_ATTEMPTS.get());
    System.out.println("count rejected=" + AirportRoutes.REJECTED.get());
    System.out.println("count batches=" + AirportRoutes.BATCHES.get());
    System.out.println("count written=" + AirportRoutes.WRITTEN.get());
    int checksum = 0;
    for (String line : new java.util.TreeSet<>(AirportRoutes.OUTPUT)) {
      checksum = checksum * 31 + line.hashCode();
    }
    System.out.println("output lines=" + AirportRoutes.OUTPUT.size() + " checksum=" + checksum);
    camel.close();
  }
}
