package io.tracegql.graphql.http;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParsingException;

import graphql.ErrorType;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.smallrye.graphql.runtime.SmallRyeGraphQLAbstractHandler;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.graphql.execution.ExecutionResponse;
import io.smallrye.graphql.execution.ExecutionResponseWriter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.MIMEHeader;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.jboss.logging.Logger;

import io.tracegql.domain.ClientException;
import io.tracegql.graphql.Documents;
import io.tracegql.graphql.ErrorReporting;
import io.tracegql.graphql.ShareQueries;
import io.tracegql.graphql.compiled.CompiledQueries;
import io.tracegql.graphql.errors.PersistedQueryNotFoundException;
import io.tracegql.security.ApiKeyFilter;
import io.tracegql.security.BodyLimitFilter;
import io.tracegql.security.Caller;
import io.tracegql.security.RequestBodies;
import io.tracegql.security.UnauthenticatedException;
import io.tracegql.store.DatabaseUnavailableException;
import io.tracegql.store.ReadRouting;

/**
 * The GraphQL endpoint over HTTP: {@code POST /graphql} (a JSON body, or the query alone as {@code
 * application/graphql}) and {@code GET /graphql?query=&operationName=&variables=&extensions=} for
 * queries, as GraphQL over HTTP has them (a mutation or subscription over GET is refused with 405), with
 * Apollo's automatic persisted queries ({@link PersistedQueries}) on both.
 *
 * <p>Every request's document comes from {@link Documents}, parsed and validated once. A query whose
 * every field has a compiled form is answered by {@link CompiledQueries} with one SQL statement that
 * writes its data; any other request, and any compiled one that fails for whatever reason (an invalid
 * argument, a refused path, a limit), runs field by field through SmallRye GraphQL, which reports its
 * errors the one way they are always reported. The response header {@value #PLAN_HEADER} says which
 * path answered: {@code compiled} or {@code general}; a request with {@code X-Tracegql-Plan: general} is
 * answered field by field whatever it asks (to compare the two).
 *
 * <p>A compiled answer that fails because the database is unavailable is not tried again the general
 * way, which would wait for the database as long again: it is answered at once with {@code UNAVAILABLE}
 * and status 503, as a request whose key cannot be checked is.
 *
 * <p>It takes over the HTTP route of the SmallRye GraphQL extension (whose handler it extends, for the
 * request context, the caller's identity and the current request that resolvers see) and leaves
 * WebSocket upgrades and other methods to it.
 */
@ApplicationScoped
public class GraphQLEndpoint {

    public static final String PLAN_HEADER = "X-Tracegql-Plan";

    /** After the extension's WebSocket route on the same path (-99), before its HTTP route. */
    private static final int ORDER = -98;

    private static final Logger LOG = Logger.getLogger(GraphQLEndpoint.class);
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final String DEFAULT_CONTENT_TYPE = "application/graphql-response+json; charset=UTF-8";
    /** What a compiled answer's data is written between. */
    private static final byte[] DATA_START = "{\"data\":".getBytes(StandardCharsets.UTF_8);

    private static final byte[] DATA_END = "}".getBytes(StandardCharsets.UTF_8);

    /** Root fields that answer without an API key: share views and the schema's introspection. */
    private static final Set<String> KEY_FREE_FIELDS =
            Set.of(ShareQueries.SHARED_RUN, "__schema", "__type", "__typename");

    private final Documents documents;
    private final PersistedQueries persistedQueries;
    private final CompiledQueries compiled;
    private final GraphQLMetrics metrics;

    public GraphQLEndpoint(
            Documents documents, PersistedQueries persistedQueries, CompiledQueries compiled, GraphQLMetrics metrics) {
        this.documents = documents;
        this.persistedQueries = persistedQueries;
        this.compiled = compiled;
        this.metrics = metrics;
    }

    void register(
            @Observes Router router,
            CurrentVertxRequest currentRequest,
            Instance<CurrentIdentityAssociation> identities) {
        long maxBody = RequestBodies.MAX_BYTES;
        CurrentIdentityAssociation identity = identities.isResolvable() ? identities.get() : null;
        router.route("/graphql")
                .order(ORDER)
                .handler(BodyHandler.create(false).setBodyLimit(maxBody))
                .handler(new Handler(identity, currentRequest))
                .failureHandler(ctx -> {
                    // A client that went away before its body arrived is owed no answer, and it is no error.
                    if (ctx.failure() instanceof HttpClosedException) {
                        return;
                    }
                    // A body sent without a length (chunked) that grew over the limit: the body handler
                    // stopped reading it. (One that declared its length was refused before: BodyLimitFilter.)
                    if (ctx.statusCode() == 413 && !ctx.response().ended()) {
                        BodyLimitFilter.refuse(ctx);
                        return;
                    }
                    ctx.next();
                });
    }

    private final class Handler extends SmallRyeGraphQLAbstractHandler {

        Handler(CurrentIdentityAssociation identity, CurrentVertxRequest currentRequest) {
            super(identity, currentRequest, false);
        }

        @Override
        protected void doHandle(RoutingContext ctx) {
            HttpMethod method = ctx.request().method();
            if (method != HttpMethod.GET && method != HttpMethod.POST) {
                ctx.next();
                return;
            }
            String contentType = responseContentType(ctx);
            if (contentType == null) {
                ctx.response().setStatusCode(406).end();
                return;
            }
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, contentType);
            GraphQLMetrics.Request measured = metrics.start();
            // The body's end for every answer: the end handlers of a routing context no longer run at
            // the end of a response once a filter registered one before SmallRye's handler replaced the
            // response's end handler; they still run when the client closes first.
            AtomicBoolean recorded = new AtomicBoolean();
            Runnable record = () -> {
                if (recorded.compareAndSet(false, true)) {
                    measured.record(ctx.response().getStatusCode());
                }
            };
            ctx.addBodyEndHandler(ended -> record.run());
            ctx.addEndHandler(ended -> record.run());
            // Read now, while the request context is active: a compiled answer that falls back runs later.
            Map<String, Object> metaData = getMetaData(ctx);
            GraphQLRequest request;
            try {
                request = method == HttpMethod.GET ? GraphQLRequest.ofQueryParameters(ctx) : GraphQLRequest.ofBody(ctx);
            } catch (BadRequestException e) {
                LOG.debugf("refused a GraphQL request: %s", e.getMessage());
                error(ctx, 400, "BAD_REQUEST", e.getMessage());
                return;
            } catch (RequestBodies.BodyException e) {
                error(ctx, e.status(), e.code(), e.getMessage());
                return;
            }
            String query;
            try {
                query = request.persistedQuery() == null
                        ? request.query()
                        : persistedQueries.resolve(
                                request.query(),
                                plain(request.persistedQuery().get("version")),
                                plain(request.persistedQuery().get("sha256Hash")));
            } catch (ClientException e) {
                // Not found is the first step of every persisted query: the client sends the text next.
                LOG.debugf("refused a persisted query: %s", e.getMessage());
                error(ctx, e instanceof PersistedQueryNotFoundException ? 200 : 400, e.code(), e.getMessage());
                return;
            }
            if (query == null || query.isBlank()) {
                error(
                        ctx,
                        400,
                        "BAD_REQUEST",
                        "give the GraphQL document in `query` (or the hash of a persisted one"
                                + " in extensions.persistedQuery)");
                return;
            }
            Documents.Lookup lookup = documents.lookup(query, request.operationName());
            if (lookup.entry() == null) {
                LOG.debugf("refused a GraphQL document: %s", lookup.errors());
                errors(ctx, 400, lookup.errors());
                return;
            }
            Documents.Entry entry = lookup.entry();
            OperationDefinition operation = operation(entry, request.operationName());
            if (operation != null) {
                measured.operation(operation);
            }
            if (Caller.current().isEmpty() && !keyFree(entry, operation)) {
                ApiKeyFilter.challenge(ctx.response());
                error(ctx, 401, UnauthenticatedException.CODE, UnauthenticatedException.KEY_REQUIRED);
                return;
            }
            OperationDefinition.Operation kind = operation == null ? null : operation.getOperation();
            if (method == HttpMethod.GET && kind != null && kind != OperationDefinition.Operation.QUERY) {
                ctx.response().putHeader(HttpHeaders.ALLOW, "POST");
                error(
                        ctx,
                        405,
                        "METHOD_NOT_ALLOWED",
                        "a " + kind.name().toLowerCase(Locale.ROOT) + " is sent with POST; GET is for queries only");
                return;
            }
            if (kind != OperationDefinition.Operation.QUERY) {
                // A mutation may decide what to write from what it reads: it reads what the primary has.
                ReadRouting.primaryOnly();
            }
            boolean generalAsked = "general".equalsIgnoreCase(ctx.request().getHeader(PLAN_HEADER));
            Uni<Buffer> data = kind == OperationDefinition.Operation.QUERY && !generalAsked
                    ? Uni.createFrom()
                            .deferred(() -> compiled.answer(entry, query, request.operationName(), request.variables()))
                    : Uni.createFrom().nullItem();
            data.subscribe()
                    .with(
                            json -> {
                                if (json == null) {
                                    general(ctx, request, query, metaData, measured);
                                } else {
                                    measured.path(GraphQLMetrics.Path.COMPILED);
                                    ctx.response()
                                            .putHeader(PLAN_HEADER, "compiled")
                                            .setStatusCode(200)
                                            .end(answer(json));
                                }
                            },
                            failure -> {
                                if (failure instanceof DatabaseUnavailableException unavailable) {
                                    // The general path would wait for the database as long again, to fail the same way.
                                    measured.path(GraphQLMetrics.Path.COMPILED);
                                    ctx.response().putHeader(PLAN_HEADER, "compiled");
                                    error(ctx, 503, unavailable.code(), unavailable.getMessage());
                                } else {
                                    general(ctx, request, query, metaData, measured);
                                }
                            });
        }

        /** Runs the request field by field through SmallRye GraphQL. */
        private void general(
                RoutingContext ctx,
                GraphQLRequest request,
                String query,
                Map<String, Object> metaData,
                GraphQLMetrics.Request measured) {
            measured.path(GraphQLMetrics.Path.GENERAL);
            JsonObjectBuilder input = JSON.createObjectBuilder().add("query", query);
            if (request.operationName() != null) {
                input.add("operationName", request.operationName());
            }
            if (request.rawVariables() != null) {
                input.add("variables", request.rawVariables());
            }
            if (request.extensions() != null) {
                input.add("extensions", request.extensions());
            }
            getExecutionService().executeAsync(input.build(), metaData, new ExecutionResponseWriter() {
                @Override
                public void write(ExecutionResponse response) {
                    ExecutionResult result = response.getExecutionResult();
                    measured.outcome(outcome(result));
                    ctx.response()
                            .putHeader(PLAN_HEADER, "general")
                            .setStatusCode(status(result))
                            .end(response.getExecutionResultAsString());
                }

                @Override
                public void fail(Throwable failure) {
                    ctx.fail(failure);
                }
            });
        }
    }

    /**
     * The status of an answer, as GraphQL over HTTP has it: 200 when the operation ran, whatever errors
     * its fields had; a request error, which kept it from running (no data, such as an operation over a
     * limit), is 401 when it needs a key and 400 otherwise. Data with an aborted execution (an HTTP
     * failure under it) is a 500, as the extension answers it.
     */
    static int status(ExecutionResult result) {
        if (!result.isDataPresent()) {
            if (result.getErrors().isEmpty()) {
                return 200;
            }
            for (GraphQLError error : result.getErrors()) {
                if (UnauthenticatedException.CODE.equals(code(error))) {
                    return 401;
                }
            }
            return 400;
        }
        for (GraphQLError error : result.getErrors()) {
            if (error.getErrorType() == ErrorType.ExecutionAborted) {
                return 500;
            }
        }
        return 200;
    }

    /** A server error when any error is the gateway's or the database's, a client error for any other. */
    static GraphQLMetrics.Outcome outcome(ExecutionResult result) {
        if (status(result) >= 500) {
            return GraphQLMetrics.Outcome.SERVER_ERROR;
        }
        GraphQLMetrics.Outcome outcome = GraphQLMetrics.Outcome.OK;
        for (GraphQLError error : result.getErrors()) {
            String code = code(error);
            if (ErrorReporting.INTERNAL_ERROR.equals(code) || DatabaseUnavailableException.CODE.equals(code)) {
                return GraphQLMetrics.Outcome.SERVER_ERROR;
            }
            outcome = GraphQLMetrics.Outcome.CLIENT_ERROR;
        }
        return outcome;
    }

    /** The answer around a compiled data object: its bytes are copied once, never decoded. */
    private static Buffer answer(Buffer data) {
        return Buffer.buffer(DATA_START.length + data.length() + DATA_END.length)
                .appendBytes(DATA_START)
                .appendBuffer(data)
                .appendBytes(DATA_END);
    }

    private static String code(GraphQLError error) {
        Map<String, Object> extensions = error.getExtensions();
        return extensions == null || !(extensions.get("code") instanceof String code) ? null : code;
    }

    /** The operation a request runs, or null when the document does not say which one. */
    private static OperationDefinition operation(Documents.Entry entry, String operationName) {
        List<OperationDefinition> operations = entry.parsed().getDefinitionsOfType(OperationDefinition.class);
        for (OperationDefinition operation : operations) {
            if (operationName == null ? operations.size() == 1 : operationName.equals(operation.getName())) {
                return operation;
            }
        }
        return null;
    }

    /**
     * Whether every root field of the operation answers without a key. An operation the document does
     * not name is left to the engine, which reports it; it runs nothing.
     */
    private static boolean keyFree(Documents.Entry entry, OperationDefinition operation) {
        if (operation == null) {
            return true;
        }
        Map<String, FragmentDefinition> fragments = new HashMap<>();
        for (FragmentDefinition fragment : entry.parsed().getDefinitionsOfType(FragmentDefinition.class)) {
            fragments.put(fragment.getName(), fragment);
        }
        return keyFree(operation.getSelectionSet(), fragments, new HashSet<>());
    }

    private static boolean keyFree(
            SelectionSet selections, Map<String, FragmentDefinition> fragments, Set<String> spread) {
        for (Selection<?> selection : selections.getSelections()) {
            boolean free;
            if (selection instanceof Field field) {
                free = KEY_FREE_FIELDS.contains(field.getName());
            } else if (selection instanceof InlineFragment inline) {
                free = keyFree(inline.getSelectionSet(), fragments, spread);
            } else if (selection instanceof FragmentSpread fragmentSpread) {
                FragmentDefinition fragment = fragments.get(fragmentSpread.getName());
                // A fragment spread twice is checked once (a valid document has no cycles anyway).
                free = fragment == null
                        || !spread.add(fragment.getName())
                        || keyFree(fragment.getSelectionSet(), fragments, spread);
            } else {
                free = false;
            }
            if (!free) {
                return false;
            }
        }
        return true;
    }

    /**
     * The answer's content type: the first accepted GraphQL or JSON type as asked, the GraphQL response
     * type for any; null when the client accepts neither.
     */
    private static String responseContentType(RoutingContext ctx) {
        List<MIMEHeader> accepted = ctx.parsedHeaders().accept();
        if (accepted == null || accepted.isEmpty()) {
            return DEFAULT_CONTENT_TYPE;
        }
        for (MIMEHeader type : accepted) {
            String raw = type.rawValue();
            if (raw.startsWith("application/json")
                    || raw.startsWith("application/graphql-response+json")
                    || raw.startsWith("application/graphql+json")) {
                return raw;
            }
            if (raw.startsWith("*/*") || raw.startsWith("application/*")) {
                return DEFAULT_CONTENT_TYPE;
            }
        }
        return null;
    }

    /** Errors graphql-java reported, in the GraphQL response form (message, locations, classification). */
    private static void errors(RoutingContext ctx, int status, List<GraphQLError> errors) {
        JsonArrayBuilder list = JSON.createArrayBuilder();
        for (GraphQLError error : errors) {
            list.add(JSON.createObjectBuilder(error.toSpecification()));
        }
        ctx.response()
                .setStatusCode(status)
                .end(JSON.createObjectBuilder().add("errors", list).build().toString());
    }

    private static void error(RoutingContext ctx, int status, String code, String message) {
        JsonObject body = JSON.createObjectBuilder()
                .add(
                        "errors",
                        JSON.createArrayBuilder()
                                .add(JSON.createObjectBuilder()
                                        .add("message", message)
                                        .add(
                                                "extensions",
                                                JSON.createObjectBuilder().add("code", code))))
                .build();
        ctx.response().setStatusCode(status).end(body.toString());
    }

    /** A JSON value as plain Java: objects as maps, arrays as lists, integers as Integer or Long where they fit. */
    static Object plain(JsonValue value) {
        if (value == null) {
            return null;
        }
        return switch (value.getValueType()) {
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                value.asJsonObject().forEach((k, v) -> map.put(k, plain(v)));
                yield map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                ((JsonArray) value).forEach(v -> list.add(plain(v)));
                yield list;
            }
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> number((JsonNumber) value);
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case NULL -> null;
        };
    }

    private static Object number(JsonNumber number) {
        BigDecimal decimal = number.bigDecimalValue();
        if (number.isIntegral()) {
            try {
                long value = decimal.longValueExact();
                if (value == (int) value) {
                    return (int) value;
                }
                return value;
            } catch (ArithmeticException e) {
                return decimal.toBigIntegerExact();
            }
        }
        return decimal;
    }

    /** A request the endpoint cannot read at all. */
    static final class BadRequestException extends RuntimeException {
        BadRequestException(String message) {
            super(message, null, false, false);
        }
    }

    /** What a GraphQL request over HTTP carries. */
    record GraphQLRequest(String query, String operationName, JsonObject rawVariables, JsonObject extensions) {

        static GraphQLRequest ofBody(RoutingContext ctx) {
            String body = ctx.body() == null || ctx.body().buffer() == null
                    ? null
                    : new String(
                            RequestBodies.decoded(
                                    ctx.body().buffer().getBytes(),
                                    ctx.request().getHeader(HttpHeaders.CONTENT_ENCODING)),
                            StandardCharsets.UTF_8);
            String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
            if (contentType != null && contentType.startsWith("application/graphql")) {
                return new GraphQLRequest(body, null, null, null);
            }
            if (body == null || body.isBlank()) {
                throw new BadRequestException(
                        "the request has no body: send {\"query\": ..., \"variables\": {...}} as application/json");
            }
            JsonObject json = object(body, "the request body");
            return new GraphQLRequest(
                    text(json, "query"),
                    text(json, "operationName"),
                    object(json, "variables"),
                    object(json, "extensions"));
        }

        static GraphQLRequest ofQueryParameters(RoutingContext ctx) {
            return new GraphQLRequest(
                    parameter(ctx, "query"),
                    parameter(ctx, "operationName"),
                    parameterObject(ctx, "variables"),
                    parameterObject(ctx, "extensions"));
        }

        /** The variables as plain Java values, as graphql-java takes them. */
        @SuppressWarnings("unchecked")
        Map<String, Object> variables() {
            return rawVariables == null ? Map.of() : (Map<String, Object>) plain(rawVariables);
        }

        JsonObject persistedQuery() {
            if (extensions == null || !(extensions.get("persistedQuery") instanceof JsonObject persisted)) {
                return null;
            }
            return persisted;
        }

        private static String parameter(RoutingContext ctx, String name) {
            List<String> values = ctx.queryParam(name);
            return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
        }

        private static JsonObject parameterObject(RoutingContext ctx, String name) {
            String value = parameter(ctx, name);
            return value == null ? null : object(value, "the " + name + " parameter");
        }

        private static JsonObject object(String text, String what) {
            try (var reader = JSON.createReader(new StringReader(text))) {
                JsonValue value = reader.readValue();
                if (value instanceof JsonObject object) {
                    return object;
                }
            } catch (JsonParsingException e) {
                throw new BadRequestException(what + " is not valid JSON: " + e.getMessage());
            } catch (RuntimeException e) {
                throw new BadRequestException(what + " is not valid JSON");
            }
            throw new BadRequestException(what + " must be a JSON object");
        }

        private static String text(JsonObject json, String name) {
            JsonValue value = json.get(name);
            if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
                return null;
            }
            if (value instanceof JsonString string) {
                return string.getString();
            }
            throw new BadRequestException(name + " must be a string");
        }

        private static JsonObject object(JsonObject json, String name) {
            JsonValue value = json.get(name);
            if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
                return null;
            }
            if (value instanceof JsonObject object) {
                return object;
            }
            throw new BadRequestException(name + " must be a JSON object");
        }
    }
}
