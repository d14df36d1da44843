/**
 * Who may do what: the API credentials, session ids, the tokens clients join with and the JWT that
 * authenticates calls to the REST API. The formats are OpenTok's, so that OpenTok server SDKs and
 * tooling mint tokens and session ids this server accepts, and the other way round.
 *
 * <ul>
 *   <li>{@link io.signalbox.server.auth.ApiCredentials}: the API key and secret everything is signed with.</li>
 *   <li>{@link io.signalbox.server.auth.SessionIds}: session ids that carry the API key they belong to.</li>
 *   <li>{@link io.signalbox.server.auth.Tokens}: client tokens, as an HS256 JWT or in the legacy
 *       {@code T1==} form; minting and verifying.</li>
 *   <li>{@link io.signalbox.server.auth.ProjectAuth}: the project JWT of the {@code X-OPENTOK-AUTH} header.</li>
 *   <li>{@link io.signalbox.server.auth.Durations}: the {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}
 *       durations of the command line and configuration.</li>
 * </ul>
 *
 * <p>Every refusal is a {@link io.signalbox.server.auth.TokenException} whose message says why, in words
 * a person can act on. Time and randomness come in through constructors; nothing here holds mutable
 * static state, and every class is safe to share between threads.
 */
package io.signalbox.server.auth;
