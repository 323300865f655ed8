package org.recsys.integ;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** DocsIT's comparison of a documented response with the node's, without a node. */
class AssertSubsetTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static void check(String expected, String actual) throws Exception {
        DocsIT.assertSubset(JSON.readTree(expected), JSON.readTree(actual), "$");
    }

    @Test
    void aDocumentedZeroNeedsANumber() throws Exception {
        check("{\"score\": 0.0}", "{\"score\": 0}");
        check("{\"score\": 0.0}", "{\"score\": 0.00001, \"other\": 1}");
        assertThrows(AssertionError.class, () -> check("{\"score\": 0.0}", "{\"score\": null}"));
        assertThrows(AssertionError.class, () -> check("{\"score\": 0.0}", "{\"score\": \"zero\"}"));
        assertThrows(AssertionError.class, () -> check("{\"score\": 0.0}", "{}"));
    }

    @Test
    void numbersAgreeToOneInTenThousand() throws Exception {
        check("{\"ndcg\": 0.4837}", "{\"ndcg\": 0.48372}");
        assertThrows(AssertionError.class, () -> check("{\"ndcg\": 0.4837}", "{\"ndcg\": 0.4847}"));
    }
}
