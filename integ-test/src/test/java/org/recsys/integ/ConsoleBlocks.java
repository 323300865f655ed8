package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Kibana Dev Tools requests of a Markdown page: fenced blocks marked {@code console} hold requests
 * ({@code METHOD path} then an optional JSON or NDJSON body); a comment line {@code # expect 404} before a request
 * names the status it must answer (otherwise 2xx, taken as 200); {@code # as NAME} runs it as that user of a node
 * with security on (otherwise as the node's superuser); {@code # not run: REASON} keeps it out of the run (a page
 * that shows a request the test distribution cannot answer says why, and a test checks the request another way); a
 * {@code console-result} block right after a {@code console} block holds the part of the last request's response
 * that must match.
 */
final class ConsoleBlocks {

    private static final Pattern REQUEST_LINE = Pattern.compile("^(GET|PUT|POST|DELETE|HEAD)\\s+(\\S+)\\s*$");
    private static final Pattern EXPECT = Pattern.compile("^#\\s*expect\\s+(\\d{3})\\s*$");
    private static final Pattern AS = Pattern.compile("^#\\s*as\\s+(\\S+)\\s*$");
    private static final Pattern NOT_RUN = Pattern.compile("^#\\s*not run:.*$");

    record Request(
        String page,
        int line,
        String method,
        String path,
        String body,
        int expectedStatus,
        JsonNode expectedBody,
        String user,
        boolean run
    ) {
        Request withExpectedBody(JsonNode body) {
            return new Request(page, line, method, path, this.body, expectedStatus, body, user, run);
        }

        @Override
        public String toString() {
            return page + ":" + line + " " + method + " " + path;
        }
    }

    private ConsoleBlocks() {}

    static List<Request> parse(Path page) {
        List<String> lines;
        try {
            lines = Files.readAllLines(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = page.getFileName().toString();
        List<Request> requests = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String fence = lines.get(i).trim();
            if (fence.equals("```console")) {
                int end = closingFence(lines, i, name);
                requests.addAll(requestsOf(name, lines, i + 1, end));
                i = end + 1;
            } else if (fence.equals("```console-result")) {
                int end = closingFence(lines, i, name);
                if (requests.isEmpty()) {
                    throw new IllegalStateException(name + ":" + (i + 1) + ": console-result with no request before it");
                }
                JsonNode expected = json(String.join("\n", lines.subList(i + 1, end)), name, i + 1);
                requests.set(requests.size() - 1, requests.get(requests.size() - 1).withExpectedBody(expected));
                i = end + 1;
            } else {
                i++;
            }
        }
        return requests;
    }

    private static int closingFence(List<String> lines, int open, String page) {
        for (int j = open + 1; j < lines.size(); j++) {
            if (lines.get(j).trim().equals("```")) {
                return j;
            }
        }
        throw new IllegalStateException(page + ":" + (open + 1) + ": unclosed code block");
    }

    private static List<Request> requestsOf(String page, List<String> lines, int from, int to) {
        List<Request> requests = new ArrayList<>();
        int status = 200;
        String user = null;
        boolean run = true;
        int j = from;
        while (j < to) {
            String line = lines.get(j);
            Matcher expect = EXPECT.matcher(line.trim());
            Matcher as = AS.matcher(line.trim());
            Matcher request = REQUEST_LINE.matcher(line.trim());
            if (expect.matches()) {
                status = Integer.parseInt(expect.group(1));
                j++;
            } else if (as.matches()) {
                user = as.group(1);
                j++;
            } else if (NOT_RUN.matcher(line.trim()).matches()) {
                run = false;
                j++;
            } else if (request.matches()) {
                int bodyStart = j + 1;
                int k = bodyStart;
                while (k < to && REQUEST_LINE.matcher(lines.get(k).trim()).matches() == false && lines.get(k).startsWith("#") == false) {
                    k++;
                }
                String body = String.join("\n", lines.subList(bodyStart, k)).strip();
                String path = request.group(2).startsWith("/") ? request.group(2) : "/" + request.group(2);
                requests
                    .add(new Request(page, j + 1, request.group(1), path, body.isEmpty() ? null : body + "\n", status, null, user, run));
                status = 200;
                user = null;
                run = true;
                j = k;
            } else if (line.isBlank() || line.startsWith("#") || line.startsWith("//")) {
                j++;
            } else {
                throw new IllegalStateException(page + ":" + (j + 1) + ": expected a request line, found: " + line);
            }
        }
        return requests;
    }

    private static JsonNode json(String text, String page, int line) {
        try {
            return TestNode.JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(page + ":" + line + ": console-result is not JSON: " + e.getMessage(), e);
        }
    }
}
