package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs every Kibana Dev Tools request of {@code docs/*.md} as written, file by file and in order, against the node.
 * See {@link ConsoleBlocks} for the format; each request must answer 2xx (or the status its {@code # expect}
 * comment names) and match the {@code console-result} block that follows it, if any.
 */
@ExtendWith(NodeLogOnFailure.class)
class DocsIT {

    /** The first line of a page whose requests run against the node with security on ({@link SecuredNode}). */
    static final String SECURED_PAGE = "<!-- docs-test: secured node -->";

    @TestFactory
    Stream<DynamicTest> everyConsoleRequestRunsAsWritten() throws IOException {
        List<ConsoleBlocks.Request> requests = requests(false);
        assertTrue(requests.isEmpty() == false, "no console requests in the docs");
        TestNode node = TestNode.get();
        return requests.stream().map(r -> DynamicTest.dynamicTest(r.toString(), () -> {
            assertNull(r.user(), r + " names a user, but its page does not run on the secured node");
            run(node, r);
        }));
    }

    @TestFactory
    Stream<DynamicTest> securedPagesRunAsWrittenAsTheirUsers() throws IOException {
        List<ConsoleBlocks.Request> requests = requests(true);
        assertTrue(requests.isEmpty() == false, "no page of the docs runs on the secured node");
        return requests.stream().map(r -> DynamicTest.dynamicTest(r.toString(), () -> {
            run(r.user() == null ? SecuredNode.superuser() : SecuredNode.as(r.user()), r);
        }));
    }

    /** The requests to run of the pages that do, or do not, run on the secured node. */
    private static List<ConsoleBlocks.Request> requests(boolean securedPages) throws IOException {
        Path docs = Path.of(System.getProperty("tests.docs.dir"));
        List<Path> pages;
        try (Stream<Path> files = Files.list(docs)) {
            pages = files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
        List<ConsoleBlocks.Request> requests = new ArrayList<>();
        for (Path page : pages) {
            if (Files.readAllLines(page).stream().findFirst().orElse("").trim().equals(SECURED_PAGE) == securedPages) {
                ConsoleBlocks.parse(page).stream().filter(ConsoleBlocks.Request::run).forEach(requests::add);
            }
        }
        return requests;
    }

    private static void run(TestNode node, ConsoleBlocks.Request request) {
        TestNode.Reply reply = node.call(request.method(), request.path(), request.body());
        assertEquals(request.expectedStatus(), reply.status(), request + " answered " + reply.text());
        if (request.expectedBody() != null) {
            assertSubset(request.expectedBody(), reply.body(), "$");
        }
    }

    /** Every field and element of {@code expected} is in {@code actual}; numbers agree to 1e-4 relative. */
    static void assertSubset(JsonNode expected, JsonNode actual, String at) {
        if (actual == null || actual.isMissingNode()) {
            fail(at + " is missing; expected " + expected);
        }
        if (expected.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                assertSubset(field.getValue(), actual.get(field.getKey()), at + "." + field.getKey());
            }
        } else if (expected.isArray()) {
            assertEquals(expected.size(), actual.size(), at + " has another length: " + actual);
            for (int i = 0; i < expected.size(); i++) {
                assertSubset(expected.get(i), actual.get(i), at + "[" + i + "]");
            }
        } else if (expected.isNumber()) {
            // asDouble() reads null, a string or an object as 0: an expected 0.0 must meet a number.
            assertTrue(actual.isNumber(), () -> at + " is " + actual + "; expected the number " + expected);
            double e = expected.asDouble();
            assertEquals(e, actual.asDouble(), 1e-4 * Math.max(1, Math.abs(e)), at);
        } else {
            assertEquals(expected, actual, at);
        }
    }
}
