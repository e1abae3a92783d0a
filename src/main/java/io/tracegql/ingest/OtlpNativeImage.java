package io.tracegql.ingest;

import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Keeps the OTLP message classes reflectively accessible in a native image: binary protobuf needs no
 * reflection, but protobuf's JSON mapping reads and builds generated messages through their field
 * accessors, which protobuf-java finds by reflection. Nested classes (builders, Span.Event...) are
 * registered with their outer class.
 */
@RegisterForReflection(
        targets = {
            ExportTraceServiceRequest.class,
            ExportTraceServiceResponse.class,
            ExportTracePartialSuccess.class,
            ResourceSpans.class,
            ScopeSpans.class,
            Span.class,
            Status.class,
            Resource.class,
            InstrumentationScope.class,
            EntityRef.class,
            KeyValue.class,
            KeyValueList.class,
            AnyValue.class,
            ArrayValue.class
        })
final class OtlpNativeImage {

    private OtlpNativeImage() {}
}
