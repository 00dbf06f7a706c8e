package io.aiotedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Issue 11 finding 12: cells a spreadsheet would run as a formula are defused. */
class CsvCellTest {

    @Test
    void cell_formulaStarts_getALeadingQuote() {
        assertEquals("'=1+1", DatastoreApi.cell("=1+1"));
        assertEquals("'+1", DatastoreApi.cell("+1"));
        assertEquals("'-1", DatastoreApi.cell("-1"));
        assertEquals("'@SUM(A1)", DatastoreApi.cell("@SUM(A1)"));
    }

    @Test
    void cell_leadingTabOrCarriageReturn_getsALeadingQuoteToo() {
        assertEquals("'\t=cmd()", DatastoreApi.cell("\t=cmd()"));
        assertEquals("\"'\r=cmd()\"", DatastoreApi.cell("\r=cmd()"));
    }

    @Test
    void cell_plainAndQuoted_areRfc4180() {
        assertEquals("motor-A", DatastoreApi.cell("motor-A"));
        assertEquals("\"a,b\"", DatastoreApi.cell("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", DatastoreApi.cell("say \"hi\""));
    }
}
