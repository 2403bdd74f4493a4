package directory

import "strings"

// crisisPhrases are words that suggest a person may be in crisis. A search
// containing one ranks crisis services first and the pages show urgent
// help prominently. Matching is on whole words of the lower-cased text.
var crisisPhrases = []string{
	"crisis", "suicide", "suicidal", "kill myself", "killing myself", "end my life", "end it all",
	"want to die", "self harm", "self-harm", "selfharm", "harming myself", "hurt myself", "overdose",
	"cant cope", "can't cope", "cannot cope", "not safe", "unsafe", "emergency", "urgent help",
	"samaritans", "no way out", "hopeless", "in danger",
}

// crisisPunctuation is made once, not for every search.
var crisisPunctuation = strings.NewReplacer("’", "'", ".", " ", ",", " ", "!", " ", "?", " ")

// IsCrisis reports whether text contains words that suggest the person may
// be in crisis.
func IsCrisis(text string) bool {
	t := " " + strings.Join(strings.Fields(strings.ToLower(crisisPunctuation.Replace(text))), " ") + " "
	for _, p := range crisisPhrases {
		if strings.Contains(t, " "+p+" ") {
			return true
		}
	}
	return false
}
