// Package matcher turns what a worker says about a person (their
// interests, strengths, goals, practical needs, where they are, when they
// are free and what they can manage) into a short, ranked list of listings,
// each with the reasons it was chosen. It speaks in directory types and
// never touches the store or the index directly. Nothing about the person
// is stored or logged: a profile lives for one call.
//
// How a profile becomes a list:
//
//  1. Request.Parse checks the words and numbers a worker gave and returns
//     a Profile (EINVALID, saying what to fix, for anything wrong).
//  2. Each interest, strength, goal and need is expanded into an aspect
//     (aspects.go): the person's own words, the concept it names in the
//     matching vocabulary (data/matching.json: "make friends" leads to
//     social groups, befriending and peer support; "good cook" to
//     community kitchens), its synonyms (data/synonyms.json), narrower
//     activities from the OpenActive list ("football" reaches walking
//     football) and a taxonomy category it names.
//  3. Candidates come from directory.Search (retrieve.go), with the
//     constraints the index can check as filters and the aspects' phrases
//     and categories as boosts, so that in a large directory the best
//     candidates are the ones ranked.
//  4. Every candidate is checked against every hard constraint
//     (constraints.go: distance or online, age, cost, accessibility,
//     language, format, referral, days, status, left out), which are never
//     broken.
//  5. Each remaining listing gets named factors, each from 0 to 1
//     (factors.go): text relevance, interest, strength, goal, practical
//     needs, distance, schedule, ease of joining and freshness, computed
//     from that listing and the profile alone, so a score is explainable.
//     The weights are in weights.go; the score is their weighted sum.
//  6. The list is put in order (matcher.go): crisis services first when
//     the person's words suggest crisis, then by score with diversity, so
//     the top spans the person's different goals and needs, ties broken by
//     listing id. The same profile on the same data gives the same list.
//  7. With too few matches the softest constraint is relaxed, the distance
//     and then the days, and Result.Relaxed says so.
//  8. Each match carries reasons in plain words that are true of that
//     listing for that person (reasons.go), each with the evidence in the
//     listing it rests on.
//
// The judged evaluation set in testdata/eval measures the ranking
// (Evaluate: nDCG@5, precision@5, stage coverage, constraint violations).
package matcher
