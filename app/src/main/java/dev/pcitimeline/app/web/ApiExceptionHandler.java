package dev.pcitimeline.app.web;

import dev.pcitimeline.projections.query.UnknownSystemException;
import dev.pcitimeline.scenarios.format.ScenarioException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Every error as RFC 9457 {@code application/problem+json} (Spring's {@link ProblemDetail}) that names
 * the field: 400 invalid input, 404 unknown system, 409 a lost write race, 413 a body over 1 MiB, 422 a
 * well-formed request the model refuses. Spring MVC's own errors (415, 405, unknown paths…) come from
 * the base class, with {@code field} added where one is to blame. Anything else is a 500 that says
 * nothing about the server's insides: the stack trace goes to the log only.
 */
@RestControllerAdvice
@ConditionalOnWebApplication // the service's: a command-line context has no use for it
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    /** Longest {@code detail} answered; scenario errors are already shorter (ScenarioException bounds them). */
    static final int MAX_DETAIL_LENGTH = 1000;
    static final int MAX_REASON_LENGTH = 600;
    static final int MAX_KEY_LENGTH = 200;

    /** A scenario or step body the parser rejects: file {@code <request>}, line and key. */
    @ExceptionHandler(ScenarioException.class)
    ResponseEntity<ProblemDetail> invalidDocument(ScenarioException e) {
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "Invalid input", e.getMessage(), e.key());
        located(p, e);
        return respond(p);
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ProblemDetail> invalidInput(InvalidInputException e) {
        return respond(problem(HttpStatus.BAD_REQUEST, "Invalid input", e.getMessage(), e.field()));
    }

    @ExceptionHandler(ModelRefusedException.class)
    ResponseEntity<ProblemDetail> refused(ModelRefusedException e) {
        ProblemDetail p = problem(HttpStatus.UNPROCESSABLE_ENTITY, "Refused by the model", e.getMessage(), e.field());
        if (e.where() != null) {
            located(p, e.where());
        }
        return respond(p);
    }

    @ExceptionHandler(UnknownSystemException.class)
    ResponseEntity<ProblemDetail> unknownSystem(UnknownSystemException e) {
        return respond(problem(HttpStatus.NOT_FOUND, "Unknown system", e.getMessage(), "system"));
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ProblemDetail> unknownAggregate(AggregateNotFoundException e) {
        return respond(problem(HttpStatus.NOT_FOUND, "Unknown system",
                "unknown system '" + e.getAggregateIdentifier() + "'", "system"));
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(BodyTooLargeException e) {
        return respond(problem(HttpStatus.PAYLOAD_TOO_LARGE, "Request body too large", e.getMessage(), "body"));
    }

    @ExceptionHandler({ConcurrencyException.class, AggregateStreamCreationException.class})
    ResponseEntity<ProblemDetail> conflict(Exception e) {
        return respond(conflictProblem());
    }

    /** Last resort: a lost race wrapped in something else is still a 409; the rest is a 500 without details. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, WebRequest request) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConcurrencyException || t instanceof AggregateStreamCreationException) {
                return respond(conflictProblem());
            }
        }
        log.error("request {} failed", request.getDescription(false), e);
        return respond(ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "the server failed to answer this request; its log has the details"));
    }

    // ------------------------------------------------------------------ Spring MVC's own errors, with the field

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String field = ex instanceof MethodArgumentTypeMismatchException m ? m.getName() : ex.getPropertyName();
        String expected = ex.getRequiredType() == null ? "a different type" : typeName(ex.getRequiredType());
        // A repeated parameter arrives as a String[]: quote its values, never the array's toString ("[Ljava.lang…").
        String detail = ex.getValue() instanceof Object[] values
                ? field + ": given " + values.length + " times (" + Arrays.stream(values).map(v -> "'" + v + "'")
                .collect(Collectors.joining(", ")) + "): give it once, as " + expected
                : field + ": '" + ex.getValue() + "' is not " + expected;
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "Invalid input", detail, field);
        return new ResponseEntity<>(p, headers, HttpStatus.BAD_REQUEST);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
                                                                          HttpHeaders headers, HttpStatusCode status,
                                                                          WebRequest request) {
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "Invalid input",
                ex.getParameterName() + ": required", ex.getParameterName());
        return new ResponseEntity<>(p, headers, HttpStatus.BAD_REQUEST);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "Invalid input", "the request body cannot be read", "body");
        return new ResponseEntity<>(p, headers, HttpStatus.BAD_REQUEST);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
                                                                     HttpHeaders headers, HttpStatusCode status,
                                                                     WebRequest request) {
        ResponseEntity<Object> response = super.handleHttpMediaTypeNotSupported(ex, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail p) {
            p.setProperty("field", "Content-Type");
        }
        return response;
    }

    // ------------------------------------------------------------------ helpers

    private static ProblemDetail problem(HttpStatus status, String title, String detail, String field) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, abbreviate(detail));
        p.setTitle(title);
        if (field != null && !field.isEmpty()) {
            p.setProperty("field", field);
        }
        return p;
    }

    /** File, line and key of a scenario problem; an empty key means the document as a whole. */
    private static void located(ProblemDetail p, ScenarioException e) {
        // Every property that can quote the request is bounded like the detail: a YAML syntax error's reason
        // quotes the offending text (HostileInputProperties found a 21 KB answer to a 2 KB body).
        // JSON may escape each non-ASCII character as six bytes, and the same quote can stand in the detail, the
        // reason and the key: tighter caps keep the whole document a few KB whatever the request held.
        p.setProperty("field", e.key().isEmpty() ? "body" : abbreviate(e.key(), MAX_KEY_LENGTH));
        p.setProperty("file", abbreviate(e.file(), MAX_KEY_LENGTH));
        p.setProperty("line", e.line());
        p.setProperty("key", abbreviate(e.key(), MAX_KEY_LENGTH));
        p.setProperty("reason", abbreviate(e.reason(), MAX_REASON_LENGTH));
    }

    private static ProblemDetail conflictProblem() {
        ProblemDetail p = problem(HttpStatus.CONFLICT, "Concurrent write",
                "another request wrote to this system at the same time and won; nothing of this request was stored:"
                        + " retry it", "system");
        return p;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail p) {
        return ResponseEntity.status(p.getStatus()).body(p);
    }

    /**
     * Details quote the request (a system id, a parameter's value), which Tomcat bounds at 8 KiB; an error should not
     * echo that much back.
     */
    static String abbreviate(String detail) {
        return abbreviate(detail, MAX_DETAIL_LENGTH);
    }

    static String abbreviate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int cut = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, cut) + "… (" + (text.length() - cut) + " more characters)";
    }

    private static String typeName(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        return "a " + type.getSimpleName();
    }
}
