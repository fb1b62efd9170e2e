package dev.vigil.probe.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlTest {

    /** The regular expression the scanner replaced: it is the specification of which tags count. */
    static final Pattern OLD = Pattern.compile("<(meta|script)(\\s[^>]*)?/?>", Pattern.CASE_INSENSITIVE);

    @Test
    void readsTheTagsTheObservatoryReads() {
        List<Html.Tag> tags = Html.tags("<!doctype html><META http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">"
                + "<meta/><script\nsrc='https://cdn.example/a.js' integrity=sha384-x crossorigin></script><metax><scripted>"
                + "<meta/ broken><meta name=referrer content=\"no-referrer\"/>");
        assertThat(tags).extracting(Html.Tag::name).containsExactly("meta", "meta", "script", "meta");
        assertThat(tags.get(0).attributes()).containsEntry("http-equiv", "Content-Security-Policy")
                .containsEntry("content", "default-src 'none'");
        assertThat(tags.get(2).attributes()).isEqualTo(Map.of("src", "https://cdn.example/a.js", "integrity", "sha384-x",
                "crossorigin", ""));
        assertThat(tags.get(3).attribute("content")).contains("no-referrer");
    }

    @Test
    void findsWhatTheRegularExpressionFound() {
        for (String html : List.of("<meta a=1><script>", "<meta a='>'>", "<meta", "<<meta>>", "<meta\t/>", "<SCRIPT src=x/>",
                "<meta/ x><meta>", "text <meta name=a content=b> more <script src=c></script>", "<script\u000Bx>", "<meta\u001Cx>")) {
            StringBuilder expected = new StringBuilder();
            Matcher m = OLD.matcher(html);
            while (m.find()) {
                expected.append(m.group()).append('\n');
            }
            assertThat(Html.tagSource(html)).as(html).isEqualTo(expected.toString());
        }
    }

    @Test
    void aBodyOfUnclosedTagsIsReadInOnePass() {
        // A hostile server's 64 KB of "<meta " took the old expression about 30 s; the page is read once now.
        String hostile = "<meta ".repeat(100_000);
        assertThat(Html.tags(hostile)).isEmpty();
        assertThat(Html.tagSource("<meta a=1>" + hostile)).isEqualTo("<meta a=1>\n");
    }
}
