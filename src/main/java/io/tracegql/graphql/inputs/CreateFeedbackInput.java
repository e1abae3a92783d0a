package io.tracegql.graphql.inputs;

import jakarta.json.JsonValue;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

@Input("CreateFeedbackInput")
@Description("New feedback on a run (give runId), or on a whole project (give projectId alone).")
public class CreateFeedbackInput {

    @Id
    @Description("The run the feedback is on; its project is taken from the run.")
    public String runId;

    @Id
    @Description("The project, for feedback on the project as a whole (leave runId out).")
    public String projectId;

    @NonNull
    @Description("What the feedback measures (for example correctness or user_rating); not blank.")
    public String key;

    @Description("A numeric score.")
    public Double score;

    @Description("A categorical or free-form value: any JSON.")
    public JsonValue value;

    @Description("A comment explaining the feedback.")
    public String comment;

    @Description("What the output should have been: a JSON object.")
    public JsonValue correction;

    @Description("Who or what gave the feedback: a JSON object; {\"type\": \"app\"} when left out.")
    public JsonValue feedbackSource;
}
