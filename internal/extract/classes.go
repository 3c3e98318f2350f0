package extract

// Word classes: which of the extractor's word tables a folded word is in.
// The text's words are classified once, with one or two map lookups each,
// so that the passes over the words test a bit instead of looking every
// word up in every table they consult.
const (
	clsCue              uint32 = 1 << iota // first word of a cue phrase
	clsCuePrefix                           // its first three letters start a cue prefix pattern
	clsActor                               // first word of an actor phrase
	clsActorPrefix                         // its first three letters start an actor prefix pattern
	clsDenial                              // denialWords
	clsKill                                // killWords
	clsKillVerb                            // killVerbs
	clsHedge                               // hedgeWords
	clsModal                               // modalWords
	clsSay                                 // sayVerbs
	clsSource                              // a key of sourceNouns
	clsTitle                               // titleWords
	clsMonth                               // a key of months
	clsWeekday                             // a key of weekdays
	clsRelDay                              // a key of relativeDays
	clsHurtVerb                            // hurtVerbs
	clsKilledParticiple                    // killedParticiple
	clsRemains                             // remainsNouns
	clsFindVerb                            // findVerbs
	clsOneDead                             // oneDead
	clsKillNoun                            // killNouns
	clsNumber                              // a key of vague, units or scales
	clsSeen                                // set on every classified word
)

// wordClasses maps folded words, and the three-letter keys of prefix
// patterns, to their classes.
type wordClasses struct {
	words     map[string]uint32
	prefix    map[string]uint32
	minPrefix int // length of the shortest key of prefix: shorter words start no pattern
}

// newWordClasses builds the classes of the word tables and of the two
// lexicons' first words.
func newWordClasses(cues *lexicon[cue], actors *lexicon[actorDef]) wordClasses {
	c := wordClasses{words: map[string]uint32{}, prefix: map[string]uint32{}}
	setTrue := func(m map[string]bool, bit uint32) {
		for k, v := range m {
			if v {
				c.words[k] |= bit
			}
		}
	}
	setTrue(denialWords, clsDenial)
	setTrue(killWords, clsKill)
	setTrue(killVerbs, clsKillVerb)
	setTrue(hedgeWords, clsHedge)
	setTrue(modalWords, clsModal)
	setTrue(sayVerbs, clsSay)
	setTrue(titleWords, clsTitle)
	setTrue(hurtVerbs, clsHurtVerb)
	setTrue(killedParticiple, clsKilledParticiple)
	setTrue(remainsNouns, clsRemains)
	setTrue(findVerbs, clsFindVerb)
	setTrue(oneDead, clsOneDead)
	setTrue(killNouns, clsKillNoun)
	for k := range vague {
		c.words[k] |= clsNumber
	}
	for k := range units {
		c.words[k] |= clsNumber
	}
	for k := range scales {
		c.words[k] |= clsNumber
	}
	for k := range sourceNouns {
		c.words[k] |= clsSource
	}
	for k := range months {
		c.words[k] |= clsMonth
	}
	for k := range weekdays {
		c.words[k] |= clsWeekday
	}
	for k := range relativeDays {
		c.words[k] |= clsRelDay
	}
	for k := range cues.exact {
		c.words[k] |= clsCue
	}
	for k := range cues.prefix {
		c.prefix[k] |= clsCuePrefix
	}
	for k := range actors.exact {
		c.words[k] |= clsActor
	}
	for k := range actors.prefix {
		c.prefix[k] |= clsActorPrefix
	}
	c.minPrefix = 3
	for k := range c.prefix {
		c.minPrefix = min(c.minPrefix, len(k))
	}
	cues.exactBit, cues.prefixBit = clsCue, clsCuePrefix
	actors.exactBit, actors.prefixBit = clsActor, clsActorPrefix
	return c
}

// classify sets the class of every word.
func (c wordClasses) classify(ws []word) {
	for i := range ws {
		f := ws[i].fold
		cls := c.words[f]
		if len(c.prefix) > 0 && len(f) >= c.minPrefix {
			key := f
			if len(key) > 3 {
				key = key[:3]
			}
			cls |= c.prefix[key]
		}
		ws[i].cls = cls | clsSeen
	}
}
