package data

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/livingwell/livingwell/directory"
)

//go:embed matching.json
var matchingJSON []byte

// Concept is one entry of the matching vocabulary: the phrases people use
// for a goal, need, interest or strength, and what it points at in the
// directory: taxonomy categories, journey stages, and the words listings
// use for it.
type Concept struct {
	// Giving marks a concept about contributing (volunteering, supporting
	// others), which volunteering roles meet in full.
	Giving     bool              `json:"giving,omitempty"`
	Phrases    []string          `json:"phrases"`
	Categories []string          `json:"categories,omitempty"`
	Stages     []directory.Stage `json:"stages,omitempty"`
	Words      []string          `json:"words,omitempty"`
}

// MatchingVocabulary returns the matching vocabulary (matching.json, CC0).
// It returns an error when the file does not parse or a concept has no
// phrases or an unknown stage.
func MatchingVocabulary() ([]Concept, error) {
	var doc struct {
		Concepts []Concept `json:"concepts"`
	}
	if err := json.Unmarshal(matchingJSON, &doc); err != nil {
		return nil, fmt.Errorf("matching.json: %w", err)
	}
	for i, c := range doc.Concepts {
		if len(c.Phrases) == 0 {
			return nil, fmt.Errorf("matching.json: concept %d has no phrases", i+1)
		}
		for _, s := range c.Stages {
			if !s.Valid() {
				return nil, fmt.Errorf("matching.json: concept %q has unknown stage %q", c.Phrases[0], s)
			}
		}
	}
	return doc.Concepts, nil
}
