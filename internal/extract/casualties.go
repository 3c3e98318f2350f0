package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Words that say people died or were hurt, folded.
var (
	killWords = map[string]bool{
		"killed": true, "dead": true, "died": true, "deaths": true, "fatalities": true, "slain": true, "perished": true,
		"bodies": true, "corpses": true, "lives": true, "fatality": true, "death": true,
		"muertos": true, "muertas": true, "muerto": true, "muerta": true, "fallecidos": true, "fallecidas": true,
		"fallecido": true, "fallecida": true, "asesinados": true, "asesinadas": true, "ejecutados": true, "ejecutadas": true,
		"cadaveres": true, "cuerpos": true, "decesos": true, "occisos": true, "victimas": true, "sin": true,
		"homicidios": true, "abatidos": true, "murdered": true, "asesinato": true, "homicidio": true, "decapitados": true, "asesinatos": true, "ejecuciones": true, "abatido": true, "ejecutado": true, "asesinado": true, "asesinada": true,
	}
	hurtWords = map[string]bool{
		"wounded": true, "injured": true, "hurt": true, "injuries": true, "casualties": false,
		"heridos": true, "heridas": true, "herido": true, "herida": true, "lesionados": true, "lesionadas": true,
		"lesionado": true,
	}
	// Verbs after which a count of victims follows: "killing 3", "dejó 5 muertos".
	killVerbs = map[string]bool{
		"killing": true, "killed": true, "kills": true, "kill": true, "matan": true, "mataron": true, "mato": true,
		"asesinan": true, "asesinaron": true, "asesino": true, "ejecutan": true, "ejecutaron": true, "ejecuto": true,
		"acribillan": true, "acribillaron": true, "ultiman": true, "ultimaron": true, "asesina": true, "mata": true,
		"ejecuta": true, "executes": true, "executed": false, "decapitan": true, "degollan": true, "murder": true,
		"mueren": true, "murieron": true, "fallecen": true, "fallecieron": true, "acribilla": true,
		"murders": true, "abatio": true, "abatieron": true, "abaten": true, "abate": true,
	}
	// Singular participles: "hombre es asesinado", "was shot dead".
	oneDead = map[string]bool{
		"asesinado": true, "asesinada": true, "ejecutado": true, "ejecutada": true, "ultimado": true, "ultimada": true,
		"acribillado": true, "acribillada": true, "baleado": true, "baleada": true, "murdered": true, "decapitado": true,
		"decapitada": true,
	}
	hurtVerbs = map[string]bool{"wounding": true, "injuring": true, "hieren": true, "hirieron": true, "wounded": true, "injured": true}
	// Words that may stand between a count and its kill word.
	victimNouns = map[string]bool{
		"people": true, "persons": true, "person": true, "civilians": true, "civilian": true, "soldiers": true, "soldier": true,
		"militants": true, "militant": true, "members": true, "men": true, "women": true, "children": true, "police": true,
		"policemen": true, "officers": true, "fighters": true, "others": true, "more": true, "insurgents": true, "troops": true,
		"suspected": true, "alleged": true, "suspects": true, "gunmen": true, "elements": true, "security": true, "personnel": true,
		"personas": true, "hombres": true, "mujeres": true, "jovenes": true, "menores": true, "ninos": true, "elementos": true,
		"policias": true, "militares": true, "civiles": true, "soldados": true, "integrantes": true, "presuntos": true,
		"sicarios": true, "agentes": true, "were": true, "was": true, "are": true, "have": true, "had": true, "been": true,
		"fueron": true, "son": true, "han": true, "sido": true, "resultaron": true, "quedaron": true, "pro": true, "government": true,
		"houthi": true, "taliban": true, "al": true, "shabaab": true, "reportedly": true, "also": true, "and": true,
		"y": true, "including": true, "of": true, "the": true, "them": true, "those": true, "a": true, "mas": true,
		"man": true, "woman": true, "child": true, "boy": true, "girl": true, "victim": true, "reported": true,
		"young": true, "incluidos": true, "among": true, "entre": true, "hombre": true, "mujer": true,
		"persona": true, "joven": true, "menor": true, "nino": true, "nina": true, "de": true, "casi": true,
		"los": true, "las": true, "found": true, "shot": true, "tribesman": true, "tribesmen": true, "him": false,
	}
	// Singular victims after "asesinan a …": one person.
	oneVictim = map[string]bool{
		"hombre": true, "mujer": true, "joven": true, "menor": true, "taxista": true, "policia": true, "comerciante": true,
		"conductor": true, "automovilista": true, "motociclista": true, "empresario": true, "abogado": true, "periodista": true,
		"nino": true, "nina": true, "adolescente": true, "alcalde": true, "exalcalde": true, "regidor": true, "chofer": true,
		"man": true, "woman": true, "civilian": true, "soldier": true, "policeman": true, "boy": true, "girl": true, "child": true,
		"journalist": true, "leader": true, "commander": true, "teacher": true, "farmer": true, "student": true, "un": true, "una": true,
		"adulto": true, "anciano": true, "anciana": true, "estudiante": true, "lider": true, "repartidor": true, "agente": true,
		"exmilitar": true, "militar": true, "soldado": true, "custodio": true, "activista": true, "musico": true, "hijo": true,
		"hija": true, "padre": true, "madre": true, "sacerdote": true, "medico": true, "funcionario": true, "funcionaria": true,
		"regidora": true, "alcaldesa": true, "sujeto": true, "individuo": true, "vendedor": true, "campesino": true,
		"jovencito": true, "embarazada": true, "carpintero": true, "mecanico": true, "albanil": true, "ganadero": true,
		"pasajero": true, "pasajera": true, "mama": true, "papa": true, "abuela": true, "abuelo": true, "sobrino": true,
		"sobrina": true, "esposa": true, "esposo": true, "tio": true, "tia": true, "primo": true, "prima": true,
		"hermano": true, "hermana": true, "novia": true, "novio": true, "amigo": true, "amiga": true, "vecino": true,
		"vecina": true, "maestro": true, "maestra": true, "doctor": true, "doctora": true, "enfermera": true,
		"enfermero": true, "candidato": true, "candidata": true, "escolta": true, "guardia": true, "velador": true,
		"taquero": true, "director": true, "directora": true, "comandante": true, "jefe": true, "delegado": true,
		"uno": true,
	}
	// Verbs for finding or leaving the dead.
	findVerbs = map[string]bool{
		"encuentran": true, "hallan": true, "localizan": true, "identifican": true, "abandonan": true, "found": true,
		"recovered": true, "discovered": true, "locate": true, "dejan": true, "arrojan": true, "tiran": true,
		"encuentra": true, "halla": true, "localiza": true, "deja": true, "leave": true,
	}
	// Remains of one person.
	remainsNouns = map[string]bool{
		"cuerpo": true, "cadaver": true, "osamenta": true, "body": true, "cabeza": true, "encobijado": true,
		"encobijada": true, "embolsado": true, "embolsada": true, "restos": true, "remains": true,
	}
	// Remains of several people, after a number.
	remainsPlural = map[string]bool{
		"cuerpos": true, "cadaveres": true, "cabezas": true, "encobijados": true, "embolsados": true, "bodies": true,
		"ejecutados": true, "osamentas": true,
	}
	// Verbs of dying, after which a count is of the dead but "a" is no victim.
	dyingVerbs = map[string]bool{"mueren": true, "murieron": true, "fallecen": true, "fallecieron": true}
	// Nouns for a killing, after which "de" names the victims.
	killNouns = map[string]bool{
		"asesinato": true, "ejecucion": true, "homicidio": true, "crimen": true, "feminicidio": true,
		"asesinatos": true, "ejecuciones": true, "homicidios": true, "death": true, "killing": false, "murder": true,
		"muerte": true,
	}
	// Victims that are two people: "asesinan a pareja".
	twoVictims = map[string]bool{"pareja": true, "matrimonio": true, "hermanos": false, "couple": true}
	// Singular participles that say a victim was killed, without "is/was":
	// "hombre asesinado", "Ejecutado en Lomas…".
	killedParticiple = map[string]bool{
		"asesinado": true, "asesinada": true, "ejecutado": true, "ejecutada": true, "ultimado": true, "ultimada": true,
		"acribillado": true, "acribillada": true, "decapitado": true, "decapitada": true, "murdered": true,
	}
)

// count is a casualty figure found in the text.
type count struct {
	r          [2]int
	start, end int
	sentence   int
	total      bool // a coder's total: "Fatalities coded as 10", a sentence "3 fatalities."
	endWord    int  // the word after the count's evidence, where one reader says it ends
	tally      bool // a count of killings, "tres homicidios", each one an incident
}

// casualties reads the killed and injured figures of sentence s.
// countDeterminers may stand between a kill verb and its count.
var countDeterminers = map[string]bool{
	"sus": true, "los": true, "las": true, "its": true, "their": true, "all": true, "the": true, "todos": true,
	"todas": true, "his": true, "her": true,
}

func (x *Extractor) casualties(text string, ws []word, s sentence, si int) (killed, hurt []count) {
	// "no casualties", "no se registraron víctimas": an explicit zero.
	for i := s.first; i < s.last; i++ {
		f := ws[i].fold
		zero := false
		end := i + 1
		switch {
		case f == "no" && i+1 < s.last && (ws[i+1].fold == "casualties" || ws[i+1].fold == "deaths" || ws[i+1].fold == "fatalities"):
			zero, end = true, i+2
		case (f == "no" || f == "nobody") && i+2 < s.last && (ws[i+1].fold == "one" || ws[i+1].fold == "was") &&
			(ws[i+2].fold == "killed" || ws[i+2].fold == "was" || ws[i+2].fold == "hurt"):
			zero, end = true, i+3
		case f == "sin" && i+1 < s.last && (ws[i+1].fold == "victimas" || ws[i+1].fold == "muertos"):
			zero, end = true, i+2
		case f == "no" && i+2 < s.last && (ws[i+1].fold == "se" || ws[i+1].fold == "hubo" || ws[i+1].fold == "hay") &&
			strings.HasPrefix(ws[min(i+2, s.last-1)].fold, "registr") || f == "no" && i+1 < s.last && ws[i+1].fold == "hubo":
			for j := i + 1; j < min(i+5, s.last); j++ {
				if ws[j].fold == "victimas" || ws[j].fold == "muertos" || ws[j].fold == "lesionados" || ws[j].fold == "heridos" {
					zero, end = true, j+1
					break
				}
			}
		}
		if zero {
			c := count{start: ws[i].start, end: ws[end-1].end, sentence: si}
			if hurtWords[ws[end-1].fold] {
				hurt = append(hurt, c)
			} else {
				killed = append(killed, c)
			}
		}
	}
	for i := s.first; i < s.last; i++ {
		f := ws[i].fold
		verb, verbStart := ws[i].cls&(clsKillVerb|clsHurtVerb), ws[i].start
		if f == "dead" && i > s.first && ws[i-1].fold == "shot" {
			// "shot dead three men": the count follows the two words.
			if _, _, _, _, ok := readModifiedNumber(ws, i+1, s.last); ok {
				verb, verbStart = clsKillVerb, ws[i-1].start
			}
		}
		// A kill verb followed by a count: "killing at least 3", "asesinan a dos hombres", "asesinan a hombre".
		if verb != 0 && i > s.first && unrealBefore[ws[i-1].fold] {
			continue // "attempted to kill", "would kill", "no mataron": nobody died of it
		}
		if n := killedThem(ws, i, s.last); n > 0 {
			// "fired 4 missiles at 3 people, killing them on the spot",
			// "8 people were driving … killing them all": the people the
			// text named just before, in this sentence or the one before.
			if lo, hi, st, ok := peopleBefore(ws, i, max(0, s.first-40)); ok {
				killed = append(killed, count{r: [2]int{lo, hi}, start: ws[st].start, end: ws[i+n-1].end, sentence: si})
				i += n - 1
				continue
			}
		}
		if verb != 0 {
			j := i + 1
			j = skipManner(ws, j, s.last)
			englishArticle := j < s.last && (ws[j].fold == "an" || ws[j].fold == "a" && isEnglishVerb(f)) &&
				!(j+1 < s.last && (ws[j+1].fold == "number" || ws[j+1].fold == "total" || ws[j+1].fold == "few"))
			if (f == "killing" || f == "killed") && j < s.last && (ws[j].fold == "him" || ws[j].fold == "her") {
				killed = append(killed, count{r: [2]int{1, 1}, start: ws[i].start, end: ws[j].end, sentence: si})
				continue
			}
			if f == "killed" && j < s.last && strings.Contains(text[ws[i].end:ws[j].start], ",") {
				// "8 tribesmen killed, 5 from…": the number after the comma is another's.
				continue
			}
			if j < s.last && (ws[j].fold == "a" || ws[j].fold == "al") {
				j++
			}
			// "asesinan una pareja", "asesinan a una pareja y a su hijo".
			if verb&clsKillVerb != 0 && j+1 < s.last && (ws[j].fold == "una" || ws[j].fold == "un") && twoVictims[ws[j+1].fold] {
				n, end := victimList(text, ws, j+1, s.last)
				killed = append(killed, count{r: [2]int{n + 1, n + 1}, start: ws[i].start, end: end, sentence: si})
				continue
			}
			// "asesinan a un hombre y a una mujer": victims, not the number one.
			if verb&clsKillVerb != 0 && articleVictim(ws, j, s.last) {
				n, end := victimList(text, ws, j, s.last)
				killed = append(killed, count{r: [2]int{n, n}, start: ws[i].start, end: end, sentence: si})
				continue
			}
			// "mató a sus tres ocupantes", "killed all three people on
			// board", "killed its two crew members": a determiner before
			// the count.
			if j+1 < s.last && countDeterminers[ws[j].fold] {
				if _, used := readNumber(ws, j+1); used > 0 {
					j++
				}
			}
			lo, hi, _, end, ok := readModifiedNumber(ws, j, s.last)
			if ok {
				// Numbers joined by "and": "killing 3 soldiers and 2 civilians".
				// "killing 2 teachers and 3 students": any plural noun.
				k := end
				for n := 0; k < s.last && ws[k].fold != "and" && ws[k].fold != "y" &&
					(victimNouns[ws[k].fold] || n < 2 && pluralNoun(text, ws[k])); n++ {
					k++
				}
				if k+1 < s.last && (ws[k].fold == "and" || ws[k].fold == "y") {
					if lo2, hi2, _, end2, ok2 := readModifiedNumber(ws, k+1, s.last); ok2 && end2 < s.last &&
						(victimNouns[ws[end2].fold] || pluralNoun(text, ws[end2])) {
						lo, hi, end = lo+lo2, hi+hi2, end2+1 // the quote ends with the second noun
					}
				}
				c := count{r: [2]int{lo, hi}, start: verbStart, end: ws[end-1].end, sentence: si}
				if verb&clsKillVerb != 0 && !(f == "wounded" || f == "injured") {
					killed = append(killed, c)
				} else {
					hurt = append(hurt, c)
				}
				i = end - 1
				continue
			}
			if verb&clsKillVerb != 0 && j < s.last && twoVictims[ws[j].fold] {
				killed = append(killed, count{r: [2]int{2, 2}, start: ws[i].start, end: ws[j].end, sentence: si})
				continue
			}
			// "Matan a agentes", "asesinan a sus vecinos": more than one,
			// as many as "some".
			if verb&clsKillVerb != 0 && !isEnglishVerb(f) && !dyingVerbs[f] && j < s.last && j > i+1 &&
				(ws[j-1].fold == "a" || ws[j-1].fold == "al") {
				k := j
				if k+1 < s.last && (ws[k].fold == "sus" || ws[k].fold == "los" || ws[k].fold == "las") {
					k++
				}
				if g := ws[k].fold; strings.HasSuffix(g, "s") && len(g) > 3 && ws[k].cls&clsNumber == 0 &&
					!mannerWords[g] && isLower(text, ws[k]) {
					if _, isNum := digits(g); !isNum {
						killed = append(killed, count{r: [2]int{2, 4}, start: ws[i].start, end: ws[k].end, sentence: si})
						i = k
						continue
					}
				}
			}
			// "asesinan a hombre", "killed a civilian", "shot and killed a Govt officer"
			if verb&clsKillVerb != 0 && j < s.last && (englishArticle || oneVictim[ws[j].fold] ||
				!isEnglishVerb(f) && (ws[j-1].fold == "a" || ws[j-1].fold == "al") && !strings.HasSuffix(ws[j].fold, "s") &&
					ws[j].fold != "balazos" && !dyingVerbs[f]) {
				n, end := victimList(text, ws, j, s.last)
				killed = append(killed, count{r: [2]int{n, n}, start: ws[i].start, end: end, sentence: si})
				continue
			}
		}
		// "hombre asesinado", "Ejecutado en Lomas", "localizan asesinado a
		// balazos a hombre": one victim.
		if ws[i].cls&clsKilledParticiple != 0 {
			prevVictim := i > s.first && (oneVictim[ws[i-1].fold] && ws[i-1].fold != "un" && ws[i-1].fold != "una" ||
				ws[i-1].fold == "el" || ws[i-1].fold == "la" || ws[i-1].fold == "otro" || ws[i-1].fold == "otra" ||
				ws[i-1].fold == "detenido" || ws[i-1].fold == "detenida")
			j := skipManner(ws, i+1, s.last)
			if j < s.last && ws[j].fold == "a" {
				j++
			}
			nextVictim := j < s.last && j > i+1 && oneVictim[ws[j].fold]
			if prevVictim || nextVictim || i == s.first {
				end := ws[i].end
				if nextVictim {
					end = ws[j].end
				}
				start := ws[i].start
				if prevVictim {
					start = ws[i-1].start
				}
				killed = append(killed, count{r: [2]int{1, 1}, start: start, end: end, sentence: si})
				continue
			}
		}
		// "Hombre muere baleado", "joven murió tras…": one dead.
		if (f == "muere" || f == "murio") && i > s.first && oneVictim[ws[i-1].fold] && ws[i-1].fold != "un" && ws[i-1].fold != "una" {
			killed = append(killed, count{r: [2]int{1, 1}, start: ws[i-1].start, end: ws[i].end, sentence: si})
			continue
		}
		// "Hallan muerto a hombre", "localizan sin vida a menor".
		if (f == "muerto" || f == "muerta" || f == "vida" && i > s.first && ws[i-1].fold == "sin") && i+2 < s.last &&
			ws[i+1].fold == "a" && (oneVictim[ws[i+2].fold] || twoVictims[ws[i+2].fold]) {
			n := 1
			if twoVictims[ws[i+2].fold] {
				n = 2
			}
			killed = append(killed, count{r: [2]int{n, n}, start: ws[i].start, end: ws[i+2].end, sentence: si})
			continue
		}
		// "Encuentran cuerpo", "hallan cadáver", "body found": one dead.
		if ws[i].cls&clsRemains != 0 && i > s.first {
			for k := max(s.first, i-3); k < i; k++ {
				if findVerbs[ws[k].fold] {
					killed = append(killed, count{r: [2]int{1, 1}, start: ws[k].start, end: ws[i].end, sentence: si})
					break
				}
			}
		}
		// "Dejan dos encobijados", "dejan dos cabezas": the number left.
		if ws[i].cls&clsFindVerb != 0 && i+2 < s.last {
			if num, used := readNumber(ws, i+1); used == 1 && num.lo >= 2 && num.lo < 100 && i+1+used < s.last &&
				remainsPlural[ws[i+1+used].fold] {
				killed = append(killed, count{r: [2]int{num.lo, num.hi}, start: ws[i].start, end: ws[i+1+used].end, sentence: si})
				i += used + 1
				continue
			}
		}
		// "Hallan ejecutado en…", "hallan un calcinado": one victim found killed.
		if ws[i].cls&clsFindVerb != 0 && i+1 < s.last {
			k := i + 1
			if (ws[k].fold == "un" || ws[k].fold == "una" || ws[k].fold == "otro" || ws[k].fold == "otra" ||
				ws[k].fold == "another") && k+1 < s.last {
				k++
			}
			if killedParticiple[ws[k].fold] || deadSingular[ws[k].fold] {
				killed = append(killed, count{r: [2]int{1, 1}, start: ws[i].start, end: ws[k].end, sentence: si})
				i = k
				continue
			}
		}
		// "Hallan a hombre muerto", "localizan a pareja calcinada",
		// "localizan asesinados a dos hombres", "hallan cuerpos
		// calcinados": the dead found.
		if ws[i].cls&clsFindVerb != 0 {
			if c, e, ok := foundDead(text, ws, i, s); ok {
				c.sentence = si
				killed = append(killed, c)
				i = e - 1
				continue
			}
		}
		// "hallazgo de cuerpos", "cadáveres localizados": several bodies.
		if (f == "cuerpos" || f == "cadaveres" || f == "bodies") && (i == s.first || ws[i-1].cls&clsNumber == 0) {
			if _, isNum := digits(ws[max(i-1, s.first)].fold); !isNum || i == s.first {
				if (i-2 >= s.first && ws[i-2].fold == "hallazgo" && ws[i-1].fold == "de") ||
					i+1 < s.last && (deadPlural[ws[i+1].fold] || foundPlural[ws[i+1].fold]) {
					e := i
					if i+1 < s.last {
						e = i + 1
					}
					st := i
					if i-2 >= s.first && ws[i-2].fold == "hallazgo" {
						st = i - 2
					}
					killed = append(killed, count{r: [2]int{2, 4}, start: ws[st].start, end: ws[e].end, sentence: si})
					i = e
					continue
				}
			}
		}
		// "Balean a un hombre…; murió en el hospital", "localizan a joven
		// sin vida": one victim named before dies.
		if (f == "murio" || f == "fallece" || f == "fallecio" || f == "muere" || f == "vida" && i > s.first && ws[i-1].fold == "sin") &&
			i > s.first {
			for k := s.first; k < i; k++ {
				if ws[k].fold == "a" && k+1 < i && (oneVictim[ws[k+1].fold] && ws[k+1].fold != "uno" ||
					(ws[k+1].fold == "un" || ws[k+1].fold == "una") && k+2 < i && oneVictim[ws[k+2].fold]) {
					killed = append(killed, count{r: [2]int{1, 1}, start: ws[k+1].start, end: ws[i].end, sentence: si})
					break
				}
			}
		}
		// "Cartel de Sinaloa Executes El Choringo": one named victim.
		if (f == "executes" || f == "kills" || f == "murders") && i+1 < s.last {
			if c := text[ws[i+1].start]; c >= 'A' && c <= 'Z' || strings.ContainsAny(text[ws[i].end:ws[i+1].start], "\"“'‘") {
				if _, used := readNumber(ws, i+1); used == 0 {
					killed = append(killed, count{r: [2]int{1, 1}, start: ws[i].start, end: ws[i+1].end, sentence: si})
					continue
				}
			}
		}
		// "Muere hombre", "murió una mujer": one dead.
		if (f == "muere" || f == "murio" || f == "fallece" || f == "fallecio") && i+1 < s.last &&
			(oneVictim[ws[i+1].fold] || i+2 < s.last && oneVictim[ws[i+2].fold] && (ws[i+1].fold == "un" || ws[i+1].fold == "una")) {
			killed = append(killed, count{r: [2]int{1, 1}, start: ws[i].start, end: ws[i+1].end, sentence: si})
			continue
		}
		// "es asesinado", "fue ejecutada", "es perseguido y asesinado": one victim.
		if ws[i].cls&clsOneDead != 0 && i > s.first && (ws[i-1].fold == "es" || ws[i-1].fold == "fue" || ws[i-1].fold == "resulto") {
			killed = append(killed, count{r: [2]int{1, 1}, start: ws[i-1].start, end: ws[i].end, sentence: si})
			continue
		}
		if ws[i].cls&clsOneDead != 0 && i-2 > s.first && ws[i-1].fold == "y" && (ws[i-3].fold == "es" || ws[i-3].fold == "fue") {
			killed = append(killed, count{r: [2]int{1, 1}, start: ws[i-3].start, end: ws[i].end, sentence: si})
			continue
		}
		// "Vecinos son asesinados": more than one, as many as "some".
		if deadPlural[f] && i-1 > s.first && (ws[i-1].fold == "son" || ws[i-1].fold == "fueron") &&
			strings.HasSuffix(ws[i-2].fold, "s") && ws[i-2].cls&clsNumber == 0 {
			if _, isNum := digits(ws[i-2].fold); !isNum && !numberBefore(ws, s, i-2) {
				killed = append(killed, count{r: [2]int{2, 4}, start: ws[i-2].start, end: ws[i].end, sentence: si})
				continue
			}
		}
		// "was found dead", "was shot dead", "the victim died"
		if (f == "dead" || f == "died") && i > s.first {
			prev := ws[i-1].fold
			if prev == "found" || prev == "shot" || prev == "victim" || prev == "man" || prev == "woman" || prev == "nurse" {
				if i-2 < s.first || (!strings.HasSuffix(ws[i-2].fold, "s") && ws[i-2].fold != "were") || ws[i-2].fold == "was" {
					killed = append(killed, count{r: [2]int{1, 1}, start: ws[i-1].start, end: ws[i].end, sentence: si})
					continue
				}
			}
		}
		// "triple asesinato", "doble homicidio": the number of victims.
		if (f == "doble" || f == "triple") && i+1 < s.last && killNouns[ws[i+1].fold] {
			n := 2
			if f == "triple" {
				n = 3
			}
			killed = append(killed, count{r: [2]int{n, n}, start: ws[i].start, end: ws[i+1].end, sentence: si})
			i++
			continue
		}
		// "ejecución de dos personas", "asesinato de hombre", "crimen de
		// matrimonio", "cuerpos de pareja".
		if (ws[i].cls&clsKillNoun != 0 || f == "cuerpos") && i+2 < s.last && (ws[i+1].fold == "de" || ws[i+1].fold == "del" || ws[i+1].fold == "of") {
			j := i + 2
			single := ws[j].fold == "un" || ws[j].fold == "una" || ws[j].fold == "a" || ws[j].fold == "an"
			if single || ws[j].fold == "the" {
				j++
			}
			if j < s.last {
				if num, used := readNumber(ws, j); used > 0 && num.lo == num.hi && num.lo > 0 && j+used < s.last && victimNouns[ws[j+used].fold] {
					killed = append(killed, count{r: [2]int{num.lo, num.hi}, start: ws[i].start, end: ws[j+used].end, sentence: si})
					i = j + used
					continue
				}
				if twoVictims[ws[j].fold] {
					killed = append(killed, count{r: [2]int{2, 2}, start: ws[i].start, end: ws[j].end, sentence: si})
					i = j
					continue
				}
				if f != "cuerpos" && oneVictim[ws[j].fold] && ws[j].fold != "uno" && ws[j].fold != "un" && ws[j].fold != "una" {
					n, end := victimList(text, ws, j, s.last)
					killed = append(killed, count{r: [2]int{n, n}, start: ws[i].start, end: end, sentence: si})
					i = j
					continue
				}
				// "the death of a local man", "la ejecución del presunto
				// jefe", "el crimen de “El Gato”": one person.
				if f != "cuerpos" && ws[i].cls&clsKillNoun != 0 && !strings.HasSuffix(f, "s") &&
					(single && ws[j].cls&clsNumber == 0 || ws[i+1].fold == "del" && (ws[j].fold == "presunto" || oneVictim[ws[j].fold]) ||
						ws[i+1].fold == "de" && j == i+2 && strings.ContainsAny(text[ws[i+1].end:ws[j].start], "\"“'‘«")) {
					killed = append(killed, count{r: [2]int{1, 1}, start: ws[i].start, end: ws[j].end, sentence: si})
					i = j
					continue
				}
			}
		}
		// "A civilian was killed", "was reportedly gunned down", "was
		// killed along with six other militants": one victim, and others.
		if c, ok := wasKilled(ws, i, s); ok {
			c.sentence = si
			killed = append(killed, c)
			i = c.endWord - 1
			continue
		}
		// "is executed", "El Mankio and El Indio … Are Executed", "They
		// execute "El Poleso"".
		if (f == "executed" || f == "murdered" || f == "assassinated") && i > s.first {
			switch ws[i-1].fold {
			case "is", "was":
				killed = append(killed, count{r: [2]int{1, 1}, start: ws[i-1].start, end: ws[i].end, sentence: si})
				continue
			case "are", "were":
				for k := i - 2; k > s.first && k > i-6; k-- {
					if ws[k].fold == "and" {
						if _, used := readNumber(ws, k+1); used == 0 {
							killed = append(killed, count{r: [2]int{2, 2}, start: ws[i-1].start, end: ws[i].end, sentence: si})
						}
						break
					}
				}
			}
		}
		if (f == "execute" || f == "kill" || f == "murder") && i > s.first && ws[i-1].fold == "they" && i+1 < s.last {
			if c := text[ws[i+1].start]; c >= 'A' && c <= 'Z' || strings.ContainsAny(text[ws[i].end:ws[i+1].start], "\"“") {
				killed = append(killed, count{r: [2]int{1, 1}, start: ws[i-1].start, end: ws[i+1].end, sentence: si})
				continue
			}
		}
		// "was killed with 13 others": the victim and the others.
		if (f == "killed" || f == "died") && i+2 < s.last && ws[i+1].fold == "with" {
			if lo, hi, _, end, ok := readModifiedNumber(ws, i+2, s.last); ok && end < s.last && ws[end].fold == "others" {
				killed = append(killed, count{r: [2]int{lo + 1, hi + 1}, start: ws[i].start, end: ws[end].end, sentence: si})
				i = end
				continue
			}
		}
		// "fatalities coded as 10"
		if f == "coded" && i+2 < s.last && ws[i+1].fold == "as" && i > s.first {
			if n, used := readNumber(ws, i+2); used > 0 {
				for k := max(s.first, i-4); k < i; k++ {
					if strings.HasPrefix(ws[k].fold, "fatalit") {
						killed = append(killed, count{r: [2]int{n.lo, n.hi}, start: ws[k].start, end: ws[i+1+used].end, sentence: si, total: true})
						break
					}
				}
			}
		}
		lo, hi, start, end, ok := readModifiedNumber(ws, i, s.last)
		if !ok {
			continue
		}
		// A count followed, within a few words, by a kill or hurt word.
		loose := 0    // unknown words let into the noun phrase: "3 separatist militants"
		anchor := end // the word after the last count of the phrase
		lim := min(end+6, s.last)
		for k := end; k < lim; k++ {
			if k > end {
				// "8 people, many of them woodcutters, were killed", "4
				// children -- including Fatima -- were killed": an aside
				// between the victims and what happened to them.
				if after, ok := skipAside(text, ws, k, s.last); ok {
					k, lim = after, min(after+3, s.last)
				}
			}
			g := ws[k].fold
			if g == "sin" && k+1 < s.last && ws[k+1].fold == "vida" {
				killed = append(killed, count{r: [2]int{lo, hi}, start: ws[start].start, end: ws[k+1].end, sentence: si})
				break
			}
			if g == "lost" && k+2 < s.last && ws[k+2].fold == "lives" {
				killed = append(killed, count{r: [2]int{lo, hi}, start: ws[start].start, end: ws[k+2].end, sentence: si})
				break
			}
			if killWords[g] && g != "sin" && g != "lives" && !(g == "victimas" && k+1 < s.last && ws[k+1].fold != "mortales") ||
				dyingVerbs[g] || deadPlural[g] || g == "gunned" && k+1 < s.last && ws[k+1].fold == "down" {
				if ws[k].cls&clsKillVerb != 0 && k+1 < s.last && objectFollows(ws, k+1, s.last) {
					break // "Two drone missiles killed 8": the count names the killers
				}
				total := start == s.first && k == end && strings.HasPrefix(g, "fatalit") && k+1 >= s.last
				kend := k
				if g == "gunned" {
					kend = k + 1
				}
				// "were killed along with 15 militants": the others too.
				if lo2, hi2, e, ok := alongWith(ws, kend, s.last); ok {
					lo, hi, kend = lo+lo2, hi+hi2, e-1
				}
				// "the commander and 4 other fighters were killed", "X, as
				// well as six others": the one named before is dead too.
				if b := joinedOther(ws, s, start, k); b >= 0 {
					lo, hi, start = lo+1, hi+1, b
				}
				killed = append(killed, count{r: [2]int{lo, hi}, start: ws[start].start, end: ws[kend].end, sentence: si, total: total,
					tally: killingTallies[g]})
				break
			}
			if hurtWords[g] {
				hurt = append(hurt, count{r: [2]int{lo, hi}, start: ws[start].start, end: ws[k].end, sentence: si})
				break
			}
			if _, isNum := digits(g); isNum && k > end && (ws[k-1].fold == "including" || ws[k-1].fold == "incluidos") {
				continue
			}
			// "1 Karachi policeman and 2 Rangers were killed", "un hombre y
			// una mujer muertos": counts joined by "and" add up.
			if k > end && (ws[k-1].fold == "and" || ws[k-1].fold == "y") {
				if lo2, hi2, _, end2, ok := readModifiedNumber(ws, k, s.last); ok && lo2 == hi2 && end2 < s.last {
					lo, hi = lo+lo2, hi+hi2
					k, anchor, loose = end2-1, end2, 0
					lim = min(end2+5, s.last)
					continue
				}
			}
			gap := text[ws[k-1].end:ws[k].start]
			if c := text[ws[k].start]; c >= 'A' && c <= 'Z' && k < anchor+3 && !strings.Contains(gap, ",") {
				continue // "two Pakistan civilians", "5 Houthi fighters"
			}
			if k == anchor && strings.HasSuffix(g, "s") && len(g) > 3 && !strings.Contains(gap, ",") {
				continue // a plural noun right after the count: "47 prisoners were killed"
			}
			if !victimNouns[g] && !isAdjective(g) {
				if _, ok := units[g]; !(ok && k > end && ws[k-1].fold == "including") {
					if loose < 2 && looseWord(ws[k], gap) {
						loose++
						continue
					}
					break
				}
			}
		}
		i = end - 1
	}
	if len(killed) > 0 {
		killed = perIncident(killed, ws, s)
	} else if c, ok := oneDied(ws, s); ok {
		c.sentence = si
		killed = append(killed, c)
	}
	return killed, hurt
}

// killingTallies count killings rather than people: "tres homicidios en
// la semana" are three incidents of (as a rule) one victim each.
var killingTallies = map[string]bool{
	"homicidios": true, "asesinatos": true, "ejecuciones": true, "feminicidios": true,
	"homicides": true, "murders": true, "killings": true,
}

// perIncident narrows the counts of a sentence that tallies several
// incidents ("matan a cuatro en distintos hechos", "seis homicidios en 24
// horas", "in separate attacks") to what one of them, the event, can have
// had: at least one and at most the total less one for each other
// incident. A tally too large to say anything useful about one incident
// gives no count.
func perIncident(killed []count, ws []word, s sentence) []count {
	m, several := severalIncidents(ws, s)
	out := killed[:0]
	for _, c := range killed {
		if c.total || c.r[0] < 2 || !several && !c.tally {
			out = append(out, c)
			continue
		}
		if !several {
			m = 1
		}
		hi := max(1, c.r[1]-(m-1))
		if hi > 5 {
			continue
		}
		c.r = [2]int{1, hi}
		out = append(out, c)
	}
	return out
}

var (
	// Places or happenings that, several or "distinct", make a tally.
	incidentNouns = map[string]bool{
		"hechos": true, "puntos": true, "ataques": true, "sucesos": true, "eventos": true, "lugares": true,
		"municipios": true, "estados": true, "zonas": true, "colonias": true, "regiones": true, "incidentes": true,
		"ciudades": true, "comunidades": true, "incidents": true, "attacks": true, "places": true, "locations": true,
		"areas": true, "provinces": true, "states": true, "cities": true, "municipalities": true, "agresiones": true,
	}
	distinctWords = map[string]bool{
		"distintos": true, "distintas": true, "diferentes": true, "varios": true, "varias": true, "separados": true,
		"separadas": true, "diversos": true, "diversas": true, "separate": true, "different": true, "multiple": true,
		"various": true, "several": true,
	}
	// Units of a period over which a tally is counted.
	periodUnits = map[string]bool{
		"horas": true, "dias": true, "semanas": true, "meses": true, "hours": true, "days": true, "weeks": true, "months": true,
	}
	// Big places: a count spread over N of them is N incidents at least.
	bigPlaces = map[string]bool{
		"municipios": true, "estados": true, "ciudades": true, "states": true, "provinces": true, "cities": true,
		"municipalities": true,
	}
)

// severalIncidents reports whether sentence s counts over several
// incidents, and how many it names (2 when it says only "several").
func severalIncidents(ws []word, s sentence) (int, bool) {
	for i := s.first; i < s.last; i++ {
		f := ws[i].fold
		next := ""
		if i+1 < s.last {
			next = ws[i+1].fold
		}
		switch {
		case distinctWords[f] && incidentNouns[next]:
			// "en distintos hechos", "in separate attacks"
			return 2, true
		case incidentNouns[f] && distinctWords[next]:
			// "en tres municipios distintos", "en hechos separados"
			if i > s.first {
				if n, used := readNumber(ws, i-1); used == 1 && n.lo >= 2 && n.lo == n.hi {
					return n.lo, true
				}
			}
			return 2, true
		case bigPlaces[f] && i-2 >= s.first && (ws[i-2].fold == "en" || ws[i-2].fold == "in" || ws[i-2].fold == "across"):
			// "en 4 estados", "across three provinces"
			if n, used := readNumber(ws, i-1); used == 1 && n.lo >= 2 && n.lo == n.hi {
				return n.lo, true
			}
		case periodUnits[f] && i-1 > s.first && spanOpens(ws, s, i):
			// "en 24 horas", "in the past two days", "en las últimas horas"
			return 2, true
		case (f == "por" || f == "al" || f == "per") && (next == "dia" || next == "day"),
			(f == "este" || f == "this") && (next == "ano" || next == "year" || next == "mes" || next == "month"),
			f == "lo" && next == "que" && i+2 < s.last && ws[i+2].fold == "va",
			f == "so" && next == "far",
			f == "durante" && ws[min(i+1, s.last-1)].cls&clsMonth != 0 && i+1 < s.last,
			// "since January", "desde enero", "since 2019", "across the
			// region": a toll over a period or an area.
			(f == "since" || f == "desde") && i+1 < s.last && (ws[i+1].cls&clsMonth != 0 || isYear(next)),
			f == "across" && i+2 < s.last && next == "the" && acrossAreas[ws[i+2].fold]:
			return 2, true
		}
	}
	return 0, false
}

// acrossAreas after "across the" make a toll one of a whole area ("across
// the region"); "across the border", "across the Line of Control" say
// where fire went.
var acrossAreas = map[string]bool{"region": true, "country": true, "nation": true, "state": true, "province": true,
	"city": true, "territory": true, "north": true, "south": true, "east": true, "west": true, "strip": true}

// isYear reports whether w is a year written in digits, 1900 to 2100.
func isYear(w string) bool {
	n, ok := digits(w)
	return ok && len(w) == 4 && n >= 1900 && n <= 2100
}

// spanOpens reports whether the period unit at word u ends a span of
// time over which things were counted: "en 24 horas", "en menos de 24
// horas", "durante las últimas horas", "over the past two days" (not
// "hace tres días", "two days later").
func spanOpens(ws []word, s sentence, u int) bool {
	k := u - 1
	n := 0
	if num, used := readNumber(ws, k); used == 1 {
		if num.lo < 2 {
			return false
		}
		n = num.lo
		k--
	}
	for m := 0; m < 3 && k >= s.first; m++ {
		switch ws[k].fold {
		case "ultimas", "ultimos", "past", "last", "the", "las", "los", "menos", "less", "de", "than":
			k--
			continue
		case "en", "in", "durante", "over", "during", "within":
			// "the 4th attack in 24 hours", "por segunda vez en 12 horas":
			// the span dates one incident among others, it tallies none.
			for b := max(s.first, k-3); b < k; b++ {
				if ordinal(ws[b].fold) {
					return false
				}
			}
			return n > 0 || m > 0
		}
		return false
	}
	return false
}

// victimList counts the victims listed from word j on, the first being one
// person: "taxista y a pasajera" (2), "mamá, abuela y dos niños" (4),
// "líder de cañeros y a su sobrino" (2). It returns the count and the end
// byte of the last victim.
func victimList(text string, ws []word, j, limit int) (n, end int) {
	// "a un hombre y a una mujer": the article before each victim, and an
	// adjective after ("adulto mayor", "mujer embarazada").
	article := func(k int) int {
		if articleVictim(ws, k, limit) {
			return k + 1
		}
		return k
	}
	adjective := func(k int) int {
		if k+1 < limit && victimAdjectives[ws[k+1].fold] {
			return k + 1
		}
		return k
	}
	j = adjective(article(j))
	n, end = 1, ws[j].end
	k := j + 1
	if k+1 < limit && (ws[k].fold == "de" || ws[k].fold == "del") && !strings.Contains(text[ws[k-1].end:ws[k].start], ",") {
		k += 2 // "líder de cañeros": a complement, not another victim
	}
	for k < limit && k < j+12 {
		gap := text[ws[k-1].end:ws[k].start]
		joined := strings.Contains(gap, ",")
		for k < limit && (ws[k].fold == "y" || ws[k].fold == "and" || ws[k].fold == "a" || ws[k].fold == "su" ||
			ws[k].fold == "sus" || ws[k].fold == "al" || ws[k].fold == "e") {
			joined = joined || ws[k].fold == "y" || ws[k].fold == "and" || ws[k].fold == "e"
			k++
		}
		if !joined || k >= limit {
			return n, end
		}
		k = article(k)
		if num, used := readNumber(ws, k); used > 0 && num.lo == num.hi && num.lo > 0 && num.lo < 100 {
			return n + num.lo, ws[k+used-1].end
		}
		if !oneVictim[ws[k].fold] || ws[k].fold == "un" || ws[k].fold == "una" || ws[k].fold == "uno" {
			return n, end
		}
		k = adjective(k)
		n, end = n+1, ws[k].end
		k++
	}
	return n, end
}

// articleVictim reports whether word k is "un" or "una" before a single
// victim ("un hombre", "una mujer"): an article, not the number one.
func articleVictim(ws []word, k, limit int) bool {
	if k+1 >= limit || ws[k].fold != "un" && ws[k].fold != "una" {
		return false
	}
	next := ws[k+1].fold
	return oneVictim[next] && next != "un" && next != "una" && next != "uno"
}

// victimAdjectives may follow a victim noun in a list: "adulto mayor",
// "mujer embarazada".
var victimAdjectives = map[string]bool{"mayor": true, "embarazada": true, "armado": true, "desconocido": true,
	"desconocida": true}

// skipManner skips "a balazos", "de un balazo", "a golpes" and a place
// ("en Veracruz") between a kill verb and its victims.
func skipManner(ws []word, j, limit int) int {
	for j < limit {
		switch {
		case j+1 < limit && ws[j].fold == "a" && (ws[j+1].fold == "balazos" || ws[j+1].fold == "golpes" ||
			ws[j+1].fold == "punaladas" || ws[j+1].fold == "tiros" || ws[j+1].fold == "machetazos"):
			j += 2
		case j+2 < limit && ws[j].fold == "de" && ws[j+1].fold == "un" && (ws[j+2].fold == "balazo" || ws[j+2].fold == "disparo"):
			j += 3
		case j+1 < limit && ws[j].fold == "con" && (ws[j+1].fold == "arma" || ws[j+1].fold == "armas"):
			// "con arma de fuego", "con armas de grueso calibre"
			j += 2
			for k := 0; k < 3 && j < limit && ws[j].fold != "a"; k++ {
				j++
			}
		case ws[j].fold == "comando" || ws[j].fold == "sicarios" || ws[j].fold == "sujetos":
			j++ // "Ejecuta comando a cuatro": the killers before the victims
		case ws[j].fold == "en":
			// "Matan en Veracruz a 20": a short place before the victims.
			k := j + 1
			for k < limit && k < j+4 && ws[k].fold != "a" {
				k++
			}
			if k < limit && ws[k].fold == "a" && k > j+1 {
				j = k
				continue
			}
			return j
		default:
			return j
		}
	}
	return j
}

// isEnglishVerb reports whether a kill verb is English, after which "a" is
// an article (one victim) rather than the Spanish preposition.
func isEnglishVerb(f string) bool {
	switch f {
	case "killing", "killed", "kills", "kill", "executes", "wounding", "injuring", "wounded", "injured":
		return true
	}
	return false
}

// isAdjective admits a few describing words between a count and its noun.
func isAdjective(w string) bool {
	switch w {
	case "armed", "unidentified", "unknown", "innocent", "local", "foreign", "rival", "suspected", "alleged",
		"armados", "desconocidos", "presuntos", "supuestos", "inocentes", "locales":
		return true
	}
	return false
}

// readModifiedNumber reads "at least 11", "more than 20", "between 3 and 5",
// "al menos once", "entre 3 y 5" or a plain count at word i. It returns the
// range and the word span [start, end).
func readModifiedNumber(ws []word, i, limit int) (lo, hi, start, end int, ok bool) {
	start = i
	j := i
	// between N and M / entre N y M
	if j < limit && (ws[j].fold == "between" || ws[j].fold == "entre") {
		// The first number ends at "and"/"y": "four and six" is a range
		// here, not a compound number.
		k := j + 1
		for k < limit && k < j+7 && ws[k].fold != "and" && ws[k].fold != "y" {
			k++
		}
		a, used := readNumber(ws[:k], j+1)
		if used > 0 && j+1+used < limit && (ws[j+1+used].fold == "and" || ws[j+1+used].fold == "y") {
			b, used2 := readNumber(ws, j+2+used)
			if used2 > 0 && b.lo >= a.lo {
				return a.lo, b.hi, start, j + 2 + used + used2, true
			}
		}
		return 0, 0, 0, 0, false
	}
	for j < limit {
		f := ws[j].fold
		switch {
		case f == "at" && j+1 < limit && (ws[j+1].fold == "least" || ws[j+1].fold == "most"):
			j += 2
			continue
		case (f == "al" || f == "lo") && j+1 < limit && ws[j+1].fold == "menos":
			j += 2
			continue
		case f == "por" && j+2 < limit && ws[j+1].fold == "lo" && ws[j+2].fold == "menos":
			j += 3
			continue
		case f == "more" && j+1 < limit && ws[j+1].fold == "than", f == "mas" && j+1 < limit && ws[j+1].fold == "de",
			f == "up" && j+1 < limit && ws[j+1].fold == "to", f == "alrededor" && j+1 < limit && ws[j+1].fold == "de",
			f == "cerca" && j+1 < limit && ws[j+1].fold == "de":
			j += 2
			continue
		case f == "over" || f == "about" || f == "around" || f == "nearly" || f == "almost" || f == "some" ||
			f == "approximately" || f == "roughly" || f == "hasta" || f == "unos" || f == "unas" || f == "another" || f == "casi":
			j++
			continue
		}
		break
	}
	if j >= limit {
		return 0, 0, 0, 0, false
	}
	n, used := readNumber(ws, j)
	if used == 0 {
		return 0, 0, 0, 0, false
	}
	// A lone "one"/"un"/"una" is usually an article; it counts only when a
	// modifier or a kill word makes it a count, which callers check.
	if n.lo > 100000 {
		return 0, 0, 0, 0, false
	}
	// "3-4 people", "3 to 5", "3 o 4": a range.
	if k := j + used; k < limit {
		gap := ws[k].start - ws[k-1].end
		if _, isNum := digits(ws[k].fold); isNum && gap >= 1 && gap <= 3 && used == 1 {
			if m, used2 := readNumber(ws, k); used2 == 1 && m.lo > n.hi && m.lo <= 2*n.hi+10 {
				return n.lo, m.hi, start, k + 1, true
			}
		}
		switch ws[k].fold {
		case "to", "or", "o", "a":
			if m, used2 := readNumber(ws, k+1); used2 > 0 && m.lo > n.hi && m.lo <= 2*n.hi+10 {
				return n.lo, m.hi, start, k + 1 + used2, true
			}
		}
	}
	if timeUnits[ws[min(j+used, limit-1)].fold] && j+used < limit {
		return 0, 0, 0, 0, false // "in 24 hours", "hace 3 días": time, not people
	}
	if isDateNumber(ws, j, used, limit) {
		return 0, 0, 0, 0, false // "On 8 May 2020,", "17 September": a day or a year
	}
	return n.lo, n.hi, start, j + used, true
}

// timeUnits follow numbers that count time or distance, not people.
var timeUnits = map[string]bool{
	"hours": true, "hour": true, "days": true, "day": true, "minutes": true, "years": true, "year": true,
	"months": true, "weeks": true, "km": true, "kilometres": true, "kilometers": true, "miles": true,
	"horas": true, "dias": true, "minutos": true, "anos": true, "meses": true, "semanas": true, "kilometros": true,
	"pm": true, "am": true, "percent": true, "por": false,
}

// isDateNumber reports whether the number of used words at word j is part
// of a date: next to a month name ("8 May", "May 2020", "3 de mayo") or a
// year after "in", "since", "en" or "de".
func isDateNumber(ws []word, j, used, limit int) bool {
	if j > 0 && ws[j-1].cls&clsMonth != 0 && ws[j].start-ws[j-1].end == 1 {
		return true // "May 2020", not "18 April. 1 fatality"
	}
	if k := j + used; k < limit {
		if ws[k].cls&clsMonth != 0 && ws[k].fold != "may" && ws[k].start-ws[k-1].end == 1 {
			return true
		}
		if ws[k].fold == "de" && k+1 < limit && ws[k+1].cls&clsMonth != 0 {
			return true
		}
	}
	if used == 1 && j > 0 && isYear(ws[j].fold) {
		switch ws[j-1].fold {
		case "in", "since", "of", "en", "de", "del", "desde", "year", "ano":
			return true
		}
	}
	return false
}

// npBreakers end the noun phrase between a count and its kill word: a
// preposition, a relative pronoun, a negation or a modal ("3 children whose
// parents were killed", "5 people were not killed", "could be killed").
var npBreakers = map[string]bool{
	"in": true, "on": true, "at": true, "from": true, "by": true, "for": true, "with": true, "after": true,
	"when": true, "while": true, "during": true, "to": true, "into": true, "near": true, "before": true, "as": true,
	"but": true, "or": true, "that": true, "which": true, "who": true, "whose": true, "where": true, "than": true,
	"not": true, "no": true, "never": true, "nobody": true, "would": true, "could": true, "will": true, "may": true,
	"might": true, "can": true, "should": true, "must": true, "be": true, "if": true, "feared": false,
	"en": true, "por": true, "con": true, "tras": true, "durante": true, "para": true, "sobre": true, "que": true,
	"cuando": true, "al": true, "del": true, "desde": true, "hasta": true, "cuyos": true, "cuyas": true,
	"quienes": true, "nadie": true, "ni": true, "podrian": true, "pudieron": true, "o": true,
}

// looseWord reports whether w may stand, unknown, inside the noun phrase
// of a count: a lower-case word that is no number, preposition, verb of
// killing or hurting, joined by no punctuation but quotes or a hyphen.
func looseWord(w word, gap string) bool {
	if npBreakers[w.fold] || w.cls&(clsKillVerb|clsHurtVerb|clsNumber) != 0 {
		return false
	}
	if _, isNum := digits(w.fold); isNum {
		return false
	}
	for _, c := range gap {
		if c != ' ' && c != '\'' && c != '"' && c != '-' && c != '‘' && c != '’' && c != '“' && c != '”' {
			return false
		}
	}
	return true
}

// alongWith reads "along with 15 militants", "together with six others" or
// "with 13 others" after the kill word at k: more dead. It returns the
// count and the end word.
func alongWith(ws []word, k, limit int) (lo, hi, end int, ok bool) {
	j := k + 1
	bare := true
	if j+1 < limit && (ws[j].fold == "along" || ws[j].fold == "together") && ws[j+1].fold == "with" {
		j, bare = j+2, false
	} else if j < limit && ws[j].fold == "with" {
		j++
	} else {
		return 0, 0, 0, false
	}
	lo, hi, _, e, ok := readModifiedNumber(ws, j, limit)
	if !ok || e >= limit {
		return 0, 0, 0, false
	}
	other := false
	for m := e; m < min(e+4, limit); m++ {
		g := ws[m].fold
		switch {
		case g == "of" || g == "his" || g == "her" || g == "their":
			// "two of his guards"
		case g == "others" || g == "otros" || g == "otras":
			return lo, hi, m + 1, true
		case g == "other":
			other = true
		case (!bare || other) && strings.HasSuffix(g, "s") && len(g) > 3:
			return lo, hi, m + 1, true // "six other militants", "along with 15 militants"
		case !isAdjective(g) && !victimNouns[g]:
			return 0, 0, 0, false
		}
	}
	return 0, 0, 0, false
}

// objectFollows reports whether the words from j on are the object of a
// transitive kill verb: a count or an article ("killed 8", "killed a
// soldier"), so that a count before the verb is of the killers.
func objectFollows(ws []word, j, limit int) bool {
	if ws[j].start-ws[j-1].end != 1 {
		return false // "5 killed, 4 injured": punctuation ends the clause
	}
	switch ws[j].fold {
	case "a", "an", "the", "his", "her", "their", "some":
		return true
	case "at":
		return j+1 < limit && (ws[j+1].fold == "least" || ws[j+1].fold == "most")
	}
	_, _, _, e, ok := readModifiedNumber(ws, j, limit)
	return ok && !(e < limit && hurtWords[ws[e].fold]) // "1 killed 5 injured": two counts
}

// unrealBefore are words before a kill verb that make the killing unreal:
// an infinitive after "attempted", "plans", "threatened" ("to kill"), a
// modal or a negation.
var unrealBefore = map[string]bool{
	"to": true, "would": true, "could": true, "will": true, "might": true, "may": true, "can": true,
	"cannot": true, "should": true, "not": true, "never": true, "no": true, "nunca": true,
}

// wasKilled reads a singular passive killing at word i: "was killed",
// "was reportedly gunned down", "was slain", with "along with N others"
// after it. The subject must not be "no one", "nobody" or "none".
func wasKilled(ws []word, i int, s sentence) (count, bool) {
	f := ws[i].fold
	if f != "killed" && f != "slain" && f != "gunned" && f != "beheaded" && f != "lynched" || i-1 <= s.first {
		return count{}, false
	}
	k := i - 1
	switch ws[k].fold {
	case "reportedly", "also", "allegedly", "later", "subsequently", "brutally", "then":
		k--
	}
	if k <= s.first || ws[k].fold != "was" {
		return count{}, false
	}
	switch ws[k-1].fold {
	case "nobody", "none", "noone":
		return count{}, false
	case "one":
		if k-2 >= s.first && ws[k-2].fold == "no" {
			return count{}, false
		}
	}
	end := i
	if f == "gunned" {
		if i+1 >= s.last || ws[i+1].fold != "down" {
			return count{}, false
		}
		end = i + 1
	}
	c := count{r: [2]int{1, 1}, start: ws[k].start, end: ws[end].end, endWord: end + 1}
	if lo, hi, e, ok := alongWith(ws, end, s.last); ok {
		c.r, c.end, c.endWord = [2]int{1 + lo, 1 + hi}, ws[e-1].end, e
	}
	return c, true
}

// ordinal reports whether w is an ordinal ("third", "4th", "segunda") or
// "time"/"vez", as in "for the second time".
func ordinal(w string) bool {
	switch w {
	case "first", "second", "third", "fourth", "fifth", "sixth", "time", "vez", "primer", "primera", "primero",
		"segunda", "segundo", "tercer", "tercera", "tercero", "cuarta", "cuarto", "quinta", "quinto":
		return true
	}
	if len(w) > 2 && w[0] >= '0' && w[0] <= '9' {
		switch w[len(w)-2:] {
		case "st", "nd", "rd", "th":
			return true
		}
	}
	return false
}

// joinedOther returns the word where "X and" or "X, as well as" starts when
// the count at word start, ending before the kill word at k, is of "other"
// people ("and 4 other fighters", "y otros tres"), and -1 otherwise.
func joinedOther(ws []word, s sentence, start, k int) int {
	other := false
	for m := start; m < k; m++ {
		switch ws[m].fold {
		case "other", "others", "otros", "otras":
			other = true
		}
	}
	if start-2 < s.first {
		return -1
	}
	and := ws[start-1].fold == "and" || ws[start-1].fold == "y"
	if and && !other {
		// "padre y dos de sus hijos", "an army captain and two soldiers":
		// one person joined to the count.
		// Walk back over up to three singular words to an article.
		for b := start - 2; b >= s.first && b > start-5; b-- {
			p := ws[b].fold
			switch p {
			case "a", "an", "un", "una":
				if b < start-2 {
					return b
				}
				return -1
			}
			if b == start-2 && oneVictim[p] && p != "uno" {
				return b
			}
			switch p {
			case "and", "y", "e", "of", "de", "the", "el", "la", "was", "were", "fue", "fueron":
				return -1
			}
			if strings.HasSuffix(p, "s") || ws[b].cls&clsNumber != 0 || npBreakers[p] {
				return -1
			}
		}
		return -1
	}
	if !other {
		return -1
	}
	switch {
	case and:
		return start - 2
	case start-4 >= s.first && ws[start-1].fold == "as" && ws[start-2].fold == "well" && ws[start-3].fold == "as":
		return start - 4
	}
	return -1
}

var (
	// Words of manner after "a" that are no victims: "matan a balazos".
	mannerWords = map[string]bool{
		"balazos": true, "tiros": true, "golpes": true, "punaladas": true, "machetazos": true, "pedradas": true,
		"quemarropa": true, "sangre": false, "pedazos": true,
	}
	// Participles that say one person was found dead.
	deadSingular = map[string]bool{
		"muerto": true, "muerta": true, "asesinado": true, "asesinada": true, "ejecutado": true, "ejecutada": true,
		"calcinado": true, "calcinada": true, "desmembrado": true, "desmembrada": true, "decapitado": true,
		"decapitada": true, "descuartizado": true, "descuartizada": true, "encobijado": true, "encobijada": true,
		"embolsado": true, "embolsada": true, "ultimado": true, "ultimada": true, "acribillado": true, "acribillada": true,
		"degollado": true, "degollada": true, "dead": true, "murdered": true, "executed": true,
	}
	// Participles that say several were found dead.
	deadPlural = map[string]bool{
		"muertos": true, "muertas": true, "asesinados": true, "asesinadas": true, "ejecutados": true, "ejecutadas": true,
		"calcinados": true, "calcinadas": true, "desmembrados": true, "desmembradas": true, "decapitados": true,
		"descuartizados": true, "descuartizadas": true, "encobijados": true, "embolsados": true, "ultimados": true,
		"acribillados": true, "cercenados": true, "mutilados": true, "degollados": true, "degolladas": true,
	}
	// Participles of finding or leaving, after plural remains.
	foundPlural = map[string]bool{
		"encontrados": true, "hallados": true, "localizados": true, "abandonados": true, "arrojados": true,
		"tirados": true, "found": true, "recovered": true, "apilados": true, "enterrados": true, "colgados": true,
	}
)

// killedThem returns how many words, from word i, say the people just
// named were killed ("killing them", "killed them all", "ended their
// lives", "matándolos"), or 0.
func killedThem(ws []word, i, limit int) int {
	f := ws[i].fold
	switch {
	case (f == "killing" || f == "killed" || f == "kills") && i+1 < limit && ws[i+1].fold == "them":
		return 2
	case (f == "ended" || f == "took" || f == "taking" || f == "ending") && i+2 < limit && ws[i+1].fold == "their" &&
		ws[i+2].fold == "lives":
		return 3
	case f == "matandolos" || f == "asesinandolos" || f == "matandolas" || f == "asesinandolas":
		return 1
	}
	return 0
}

// personNouns name people a count may be of.
var personNouns = map[string]bool{
	"people": true, "persons": true, "civilians": true, "soldiers": true, "militants": true, "members": true,
	"men": true, "women": true, "children": true, "policemen": true, "officers": true, "fighters": true,
	"insurgents": true, "troops": true, "suspects": true, "gunmen": true, "rescuers": true, "passengers": true,
	"occupants": true, "students": true, "workers": true, "farmers": true, "villagers": true, "boys": true,
	"girls": true, "personas": true, "hombres": true, "mujeres": true, "jovenes": true, "menores": true,
	"ninos": true, "policias": true, "militares": true, "civiles": true, "soldados": true, "integrantes": true,
	"sicarios": true, "agentes": true, "tripulantes": true, "ocupantes": true, "pasajeros": true,
}

// peopleBefore finds the nearest count of people before word i, from word
// from on: "3 people", "up to 4 men". It returns the range and the count's
// first word.
func peopleBefore(ws []word, i, from int) (lo, hi, start int, ok bool) {
	for j := i - 1; j >= from; j-- {
		lo, hi, st, end, found := readModifiedNumber(ws, j, i)
		if found && end < i && personNouns[ws[end].fold] && lo > 0 {
			// A modifier before the number belongs to it: "up to 5 men".
			for k := j - 1; k >= max(from, j-3); k-- {
				if lo2, hi2, st2, end2, ok2 := readModifiedNumber(ws, k, i); ok2 && end2 == end {
					lo, hi, st = lo2, hi2, st2
				}
			}
			return lo, hi, st, true
		}
	}
	return 0, 0, 0, false
}

// pluralNoun reports whether w may be a plural noun naming people
// ("teachers", "students", "estudiantes"): a lower-case word of more than
// three letters ending in "s" that is not a count, a kill or hurt word, or a
// word of manner ("balazos").
func pluralNoun(text string, w word) bool {
	return len(w.fold) > 3 && strings.HasSuffix(w.fold, "s") && isLower(text, w) && !mannerWords[w.fold] &&
		w.cls&(clsNumber|clsKill|clsKillVerb|clsHurtVerb) == 0 && !hurtWords[w.fold]
}

// isLower reports whether the word starts with a lower-case letter.
func isLower(text string, w word) bool {
	r, _ := utf8.DecodeRuneInString(text[w.start:])
	return unicode.IsLower(r)
}

// numberBefore reports whether a count stands within three words before
// word i of the sentence.
func numberBefore(ws []word, s sentence, i int) bool {
	for k := max(s.first, i-3); k < i; k++ {
		if _, used := readNumber(ws, k); used > 0 && ws[k].fold != "un" && ws[k].fold != "una" {
			return true
		}
	}
	return false
}

// foundDead reads the dead found after the find verb at word i: "a hombre
// muerto" (1), "a pareja calcinada" (2), "asesinados a dos hombres" (2),
// "en Acapulco a 5 desmembrados" (5, read by the count reader), "cuerpos
// calcinados" (several). It returns the count and the word after it.
func foundDead(text string, ws []word, i int, s sentence) (count, int, bool) {
	j := skipManner(ws, i+1, s.last)
	if j >= s.last {
		return count{}, 0, false
	}
	// "localizan asesinados a dos hombres"
	if deadPlural[ws[j].fold] && j+2 < s.last && ws[j+1].fold == "a" {
		if lo, hi, _, end, ok := readModifiedNumber(ws, j+2, s.last); ok && lo >= 2 {
			return count{r: [2]int{lo, hi}, start: ws[i].start, end: ws[end-1].end}, end, true
		}
	}
	// "hallan cuerpos calcinados", "abandonan cuerpos desmembrados"
	if (ws[j].fold == "cuerpos" || ws[j].fold == "cadaveres" || ws[j].fold == "bodies") && j < i+3 {
		return count{r: [2]int{2, 4}, start: ws[i].start, end: ws[j].end}, j + 1, true
	}
	if ws[j].fold != "a" || j+2 >= s.last {
		return count{}, 0, false
	}
	k := j + 1
	if ws[k].fold == "un" || ws[k].fold == "una" || ws[k].fold == "su" {
		k++
	}
	n := 0
	switch {
	case twoVictims[ws[k].fold]:
		n = 2
	case oneVictim[ws[k].fold] && ws[k].fold != "uno" && ws[k].fold != "un" && ws[k].fold != "una" || ws[k].fold == "persona":
		n = 1
	}
	if n > 0 {
		// The participle right after the victim, or after one word
		// ("a hombre joven muerto"), not in a later clause.
		for m := k + 1; m < min(k+3, s.last); m++ {
			if deadSingular[ws[m].fold] || ws[m].fold == "sin" && m+1 < s.last && ws[m+1].fold == "vida" {
				e := m
				if ws[m].fold == "sin" {
					e = m + 1
				}
				return count{r: [2]int{n, n}, start: ws[i].start, end: ws[e].end}, e + 1, true
			}
		}
		return count{}, 0, false
	}
	// "encuentra a sus inquilinos ejecutados"
	if (ws[k].fold == "sus" || ws[k].fold == "los" || ws[k].fold == "las") && k+2 < s.last {
		k++
	}
	if g := ws[k].fold; strings.HasSuffix(g, "s") && ws[k].cls&clsNumber == 0 && k+1 < s.last && deadPlural[ws[k+1].fold] {
		if _, isNum := digits(g); !isNum {
			return count{r: [2]int{2, 4}, start: ws[i].start, end: ws[k+1].end}, k + 2, true
		}
	}
	return count{}, 0, false
}

// oneDied reads a singular verb of dying in a sentence that gave no other
// count: "mujer es atacada … y muere en el hospital", "Muere “El Gato”":
// one dead. "Casi muere", "no murió", "nadie murió" are not deaths.
func oneDied(ws []word, s sentence) (count, bool) {
	for i := s.first; i < s.last; i++ {
		switch ws[i].fold {
		case "muere", "murio", "fallece", "fallecio":
		default:
			continue
		}
		if i > s.first {
			switch ws[i-1].fold {
			case "no", "casi", "nadie", "ninguno", "ninguna", "que", "si":
				return count{}, false
			}
		}
		return count{r: [2]int{1, 1}, start: ws[i].start, end: ws[i].end}, true
	}
	return count{}, false
}

// skipAside reports whether word k opens an aside set off by commas or
// dashes that closes before a verb of what befell the people named before
// it ("were killed", "died"), and returns that verb's index.
func skipAside(text string, ws []word, k, limit int) (int, bool) {
	open := strings.TrimSpace(text[ws[k-1].end:ws[k].start])
	var closer string
	switch open {
	case ",":
		closer = ","
	case "--", "—", "–":
		closer = open
	default:
		return 0, false
	}
	for j := k + 1; j < limit && j < k+12; j++ {
		gap := strings.TrimSpace(text[ws[j-1].end:ws[j].start])
		if gap == "" {
			continue
		}
		if gap != closer && !(closer != "," && (gap == "—" || gap == "--" || gap == "–")) {
			return 0, false
		}
		switch ws[j].fold {
		case "were", "was", "died", "killed", "murieron", "fueron", "perished":
			return j, true
		}
		return 0, false
	}
	return 0, false
}
