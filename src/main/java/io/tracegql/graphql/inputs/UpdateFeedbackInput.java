package io.tracegql.graphql.inputs;

import jakarta.json.JsonValue;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

@Input("UpdateFeedbackInput")
@Description("Changes to feedback: only the fields given change.")
public class UpdateFeedbackInput {

    @Description("A new numeric score.")
    public Double score;

    @Description("A new value: any JSON.")
    public JsonValue value;

    @Description("A new comment.")
    public String comment;

    @Description("A new correction: a JSON object.")
    public JsonValue correction;
}
