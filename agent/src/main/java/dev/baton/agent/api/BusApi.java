package dev.baton.agent.api;

import dev.baton.common.http.ApiException;
import dev.baton.agent.instance.InstanceService;
import dev.baton.common.bus.Addresses;
import dev.baton.common.bus.AgentAction;
import dev.baton.common.model.Instance;
import dev.baton.common.model.StartInstanceRequest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The agent's commands on the event bus at {@code baton.agent.<agentId>} (see {@link AgentAction}): the same
 * {@link InstanceService} as the HTTP API. START replies once the instance is healthy and registered, STOP once
 * its process exited; failures are {@code fail(httpStatus, errorJson)}.
 */
public final class BusApi {

  private final InstanceService service;
  private final String agentId;

  public BusApi(InstanceService service, String agentId) {
    this.service = service;
    this.agentId = agentId;
  }

  /** Registers the consumer; completes once it is known cluster-wide. */
  public Future<MessageConsumer<Object>> listen(EventBus bus) {
    MessageConsumer<Object> consumer = bus.consumer(Addresses.agent(agentId), this::handle);
    return consumer.completion().map(consumer);
  }

  private void handle(Message<Object> message) {
    AgentAction action = AgentAction.parse(message.headers().get(Addresses.ACTION_HEADER));
    Future<Object> result;
    try {
      result = action == null ? Future.failedFuture(new ApiException(400, "unknown_action",
          "header '" + Addresses.ACTION_HEADER + "' must be one of start, stop, list, get"))
          : dispatch(action, body(message));
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        ErrorReply error = ErrorReply.of(ar.cause());
        message.fail(error.status(), error.error().toJson().encode());
      }
    });
  }

  private Future<Object> dispatch(AgentAction action, JsonObject body) {
    return switch (action) {
      case START -> service.start(StartInstanceRequest.fromJson(body))
          .compose(i -> service.awaitHealthy(i.id())).map(Instance::toJson);
      case STOP -> service.stop(id(body)).compose(i -> service.awaitStopped(i.id())).map(Instance::toJson);
      case GET -> service.get(id(body)).map(Instance::toJson);
      case LIST -> {
        JsonArray all = new JsonArray();
        service.list().forEach(i -> all.add(i.toJson()));
        yield Future.succeededFuture(new JsonObject().put("instances", all));
      }
    };
  }

  private static JsonObject body(Message<Object> message) {
    Object body = message.body();
    if (body instanceof JsonObject json) {
      return json;
    }
    if (body instanceof String s) {
      try {
        return new JsonObject(s);
      } catch (RuntimeException e) {
        throw new ApiException(400, "malformed_json", "the command body is not a JSON object.");
      }
    }
    if (body == null) {
      return new JsonObject();
    }
    throw new ApiException(400, "malformed_json", "the command body must be a JSON object.");
  }

  private static String id(JsonObject body) {
    String id = body.getValue("id") instanceof String s ? s : null;
    if (id == null || id.isBlank()) {
      throw new ApiException(400, "invalid_request", "the command needs {\"id\": \"<instance id>\"}.");
    }
    return id;
  }
}
