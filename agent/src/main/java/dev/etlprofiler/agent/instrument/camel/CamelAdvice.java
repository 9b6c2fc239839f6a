package dev.etlprofiler.agent.instrument.camel;

import dev.etlprofiler.core.camel.CamelCalls;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.asm.Advice;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.NamedRoute;
import org.apache.camel.Route;
import org.apache.camel.spi.UnitOfWork;

/**
 * Inlined into Camel 4's routing engine (see {@link CamelLibrary}). Compiled against camel-api;
 * described from class files, never loaded by the agent. What they record: {@link CamelCalls}.
 */
public final class CamelAdvice {
  private CamelAdvice() {}

  /**
   * {@code CamelInternalProcessor.addRouteLifecycleAdvice(CamelContext, Route, NamedRoute)}: called
   * once per route, on the processor its consumer calls.
   */
  public static final class RouteBuilt {
    private RouteBuilt() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object processor, @Advice.Argument(1) Route route) {
      if (route != null) {
        CamelCalls.route(processor, route.getRouteId());
      }
    }
  }

  /**
   * {@code DefaultChannel.initChannel(Route, NamedNode definition, NamedNode childDefinition, …)}:
   * once per node of a route, with the node's definition ({@code childDefinition}; {@code
   * definition} is the node whose outputs it is in, or the node itself when it has no parent): its
   * id, and the nodes that enclose it.
   */
  public static final class ChannelBuilt {
    private ChannelBuilt() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.This Object channel,
        @Advice.Argument(0) Route route,
        @Advice.Argument(1) NamedNode outer,
        @Advice.Argument(2) NamedNode child) {
      NamedNode definition = child != null ? child : outer;
      if (route == null || definition == null) {
        return;
      }
      List<Object> enclosing = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (NamedNode p = definition.getParent();
          p != null && !(p instanceof NamedRoute) && enclosing.size() < 32;
          p = p.getParent()) {
        enclosing.add(p);
        ids.add(p.getId());
      }
      CamelCalls.channel(
          channel,
          route.getRouteId(),
          definition.getId(),
          definition,
          enclosing.toArray(),
          ids.toArray(new String[0]));
    }
  }

  /** {@code CamelInternalProcessor.process(Exchange, AsyncCallback)}: every route and node call. */
  public static final class Process {
    private Process() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object processor) {
      return CamelCalls.enter(processor);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object state, @Advice.Thrown Throwable thrown) {
      if (state != null) {
        CamelCalls.exit(state, thrown);
      }
    }
  }

  /**
   * {@code CamelInternalProcessor$AsyncAfterTask.prepare(Exchange, AsyncCallback)}: the task that
   * Camel calls back when the exchange completes the processor whose {@code process} runs.
   */
  public static final class TaskPrepared {
    private TaskPrepared() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object task) {
      CamelCalls.prepared(task);
    }
  }

  /** {@code CamelInternalProcessor$AsyncAfterTask.done(boolean)}: the exchange completed it. */
  public static final class TaskDone {
    private TaskDone() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.This Object task,
        @Advice.FieldValue("this$0") Object processor,
        @Advice.FieldValue("exchange") Exchange exchange) {
      Exception e = exchange == null ? null : exchange.getException();
      CamelCalls.done(
          task,
          processor,
          e == null ? null : e.getClass().getName(),
          e == null && exchange != null && exchange.getExchangeExtension().isFailureHandled());
    }
  }

  /** {@code DefaultChannel.setErrorHandler(Processor)}: the processor that runs the node's work. */
  public static final class ErrorHandlerSet {
    private ErrorHandlerSet() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object channel, @Advice.Argument(0) Object errorHandler) {
      CamelCalls.errorHandler(channel, errorHandler);
    }
  }

  /**
   * {@code run()} of {@code RedeliveryErrorHandler}'s tasks ({@code RedeliveryTask}, {@code
   * SimpleTask}): the node's work, run from Camel's loop, under the node's frame.
   */
  public static final class HandlerRuns {
    private HandlerRuns() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.FieldValue("this$0") Object errorHandler) {
      return CamelCalls.enterHandler(errorHandler);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object state) {
      if (state != null) {
        CamelCalls.exit(state, null);
      }
    }
  }

  /**
   * {@code RedeliveryErrorHandler$RedeliveryTask.redeliver()}: one redelivery attempt, counted on
   * the route the exchange is in, and run under the node's frame.
   */
  public static final class Redeliver {
    private Redeliver() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(
        @Advice.FieldValue("exchange") Exchange exchange,
        @Advice.FieldValue("this$0") Object errorHandler) {
      UnitOfWork uow = exchange == null ? null : exchange.getUnitOfWork();
      Route route = uow == null ? null : uow.getRoute();
      if (route != null) {
        CamelCalls.redelivered(route.getRouteId());
      }
      return CamelCalls.enterHandler(errorHandler);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object state) {
      if (state != null) {
        CamelCalls.exit(state, null);
      }
    }
  }
}
