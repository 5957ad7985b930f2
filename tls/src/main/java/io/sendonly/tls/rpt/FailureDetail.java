package io.sendonly.tls.rpt;

import io.sendonly.tls.ResultType;

/**
 * One {@code failure-details[]} entry (RFC 8460 section 4.3): the sessions that failed the same way with the same
 * host. The sending MTA's address is not known to delivery, so it is not reported (the field is optional).
 *
 * @param reason the first reason seen, the report's {@code failure-reason-code}
 */
public record FailureDetail(ResultType type, String receivingMxHostname, String receivingIp, long sessions, String reason) {
}
