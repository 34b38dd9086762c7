package dev.baton.common.model;

import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@code fromJson} and validation when a document is invalid. Carries every field error
 * at once so a user fixes the whole request in one round trip. Maps to HTTP 400 {@code invalid_request}.
 */
public final class ValidationException extends RuntimeException {

  private final List<FieldError> errors;

  public ValidationException(List<FieldError> errors) {
    super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a validation failure needs at least one field error");
    }
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** The body of a 400 reply: {@code {"error":"invalid_request","message":..., "fields":[...]}}. */
  public ApiError toApiError() {
    JsonArray fields = new JsonArray();
    errors.forEach(e -> fields.add(e.toJson()));
    return new ApiError("invalid_request", getMessage(), fields);
  }
}
