package io.tracegql.graphql.types;

import java.time.OffsetDateTime;
import java.util.UUID;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import io.tracegql.store.FeedbackRecord;

/**
 * One piece of feedback, as the feedback mutations return it. The private field is named unlike the
 * GraphQL fields, which SmallRye GraphQL would otherwise read directly.
 */
@Type("Feedback")
@Description("A score, value or comment on a run, or on a whole project when runId is null.")
public class Feedback {

    private final FeedbackRecord feedback;

    public Feedback(FeedbackRecord feedback) {
        this.feedback = feedback;
    }

    @NonNull
    @Id
    @Description("The ID of the feedback.")
    public UUID getId() {
        return feedback.id();
    }

    @Id
    @Description("The run this feedback is on; null for feedback on a whole project.")
    public UUID getRunId() {
        return feedback.runId();
    }

    @Id
    @Description("The project of the run (or the project itself, for project feedback).")
    public UUID getProjectId() {
        return feedback.projectId();
    }

    @NonNull
    @Description("What the feedback measures (for example correctness or user_rating).")
    public String getKey() {
        return feedback.key();
    }

    @Description("The numeric score, if any.")
    public Double getScore() {
        return feedback.score();
    }

    @Description("A categorical or free-form value (any JSON), if any.")
    public JsonValue getValue() {
        return JsonOutput.of(feedback.value());
    }

    @Description("A comment explaining the feedback, if any.")
    public String getComment() {
        return feedback.comment();
    }

    @Description("What the output should have been (JSON), if given.")
    public JsonValue getCorrection() {
        return JsonOutput.of(feedback.correction());
    }

    @Description("Who or what gave the feedback (JSON such as {\"type\": \"app\"}).")
    public JsonValue getFeedbackSource() {
        return JsonOutput.of(feedback.feedbackSource());
    }

    @NonNull
    @Description("When the feedback was created.")
    public OffsetDateTime getCreatedAt() {
        return feedback.createdAt();
    }

    @NonNull
    @Description("When the feedback was last changed.")
    public OffsetDateTime getModifiedAt() {
        return feedback.modifiedAt();
    }
}
