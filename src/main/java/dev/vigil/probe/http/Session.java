package dev.vigil.probe.http;

import java.util.List;

/**
 * One Observatory session (http:// or https://): every response along its redirect chain (the
 * last is the final one), whether the certificates verified, and the route of URLs visited.
 */
public record Session(String startUrl, List<Response> responses, boolean verified) {

    public Response finalResponse() {
        return responses.get(responses.size() - 1);
    }

    public List<String> route() {
        return responses.stream().map(Response::url).toList();
    }
}
