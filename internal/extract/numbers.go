package extract

import (
	"strconv"
	"strings"
)

// Number words in English and Spanish. Written here because no maintained Go
// library parses both (see DEPENDENCIES.md); the vocabulary is closed.
var (
	units = map[string]int{
		"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
		"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
		"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
		"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
		"cero": 0, "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
		"ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
		"dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20,
		"veintiun": 21, "veintiuno": 21, "veintiuna": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24,
		"veinticinco": 25, "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29,
		"treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
		"cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200, "trescientos": 300, "trescientas": 300,
		"cuatrocientos": 400, "quinientos": 500, "seiscientos": 600, "setecientos": 700, "ochocientos": 800,
		"novecientos": 900,
	}
	scales = map[string]int{"hundred": 100, "thousand": 1000, "million": 1000000, "mil": 1000, "millon": 1000000, "millones": 1000000}
	// vague quantities, as ranges.
	vague = map[string][2]int{
		// Vague counts follow ACLED's published coding conventions, the
		// field's most used ones: "several"/"many" 10, "dozens" 12,
		// "hundreds" 100, "a few" 3.
		"dozen": {12, 12}, "docena": {12, 12}, "decena": {10, 10}, "dozens": {12, 12}, "decenas": {12, 12}, "scores": {20, 20},
		"hundreds": {100, 100}, "cientos": {100, 100}, "centenares": {100, 100}, "several": {10, 10}, "varios": {10, 10},
		"varias": {10, 10}, "many": {10, 10}, "muchos": {10, 10}, "a few": {3, 3}, "some": {2, 4}, "numerous": {10, 10},
	}
)

// number is a count read from the text, as a range, with its byte span.
type number struct {
	lo, hi     int
	start, end int
}

// readNumber reads a count starting at word i of ws: digits ("11", "1,200"),
// number words ("twenty-three", "veintitrés", "ciento veinte"), "a dozen",
// "dozens", "two dozen", "dos decenas". It returns the number and how many words it used.
func readNumber(ws []word, i int) (number, int) {
	if i >= len(ws) {
		return number{}, 0
	}
	w := ws[i]
	if n, ok := digits(w.fold); ok {
		return number{lo: n, hi: n, start: w.start, end: w.end}, 1
	}
	// "a dozen", "una docena", "two dozen"
	if (w.fold == "a" || w.fold == "una") && i+1 < len(ws) && (ws[i+1].fold == "dozen" || ws[i+1].fold == "docena") {
		return number{lo: 12, hi: 12, start: w.start, end: ws[i+1].end}, 2
	}
	// "una decena": ten
	if w.fold == "una" && i+1 < len(ws) && ws[i+1].fold == "decena" {
		return number{lo: 10, hi: 10, start: w.start, end: ws[i+1].end}, 2
	}
	if w.fold == "a" && i+1 < len(ws) && ws[i+1].fold == "few" {
		return number{lo: 3, hi: 3, start: w.start, end: ws[i+1].end}, 2
	}
	if w.cls&clsSeen != 0 && w.cls&clsNumber == 0 {
		return number{}, 0 // a classified word that is no number word
	}
	if v, ok := vague[w.fold]; ok && w.fold != "some" {
		return number{lo: v[0], hi: v[1], start: w.start, end: w.end}, 1
	}
	total, current, used := 0, 0, 0
	end := w.end
	for j := i; j < len(ws); j++ {
		f := ws[j].fold
		if u, ok := units[f]; ok {
			current += u
			used = j - i + 1
			end = ws[j].end
			continue
		}
		if s, ok := scales[f]; ok && (used > 0 || f == "mil") {
			if current == 0 {
				current = 1
			}
			if s >= 1000 {
				total += current * s
				current = 0
			} else {
				current *= s
			}
			used = j - i + 1
			end = ws[j].end
			continue
		}
		if (f == "and" || f == "y") && used > 0 && j+1 < len(ws) {
			if _, ok := units[ws[j+1].fold]; ok {
				continue
			}
		}
		if (f == "dozen" || f == "docenas") && used > 0 {
			current *= 12
			used = j - i + 1
			end = ws[j].end
			continue
		}
		if f == "decenas" && used > 0 {
			current *= 10 // "dos decenas": twenty
			used = j - i + 1
			end = ws[j].end
			continue
		}
		break
	}
	if used == 0 {
		return number{}, 0
	}
	// Lone "un"/"una"/"one" are articles more often than counts; callers
	// decide from context, so they are returned as 1.
	n := total + current
	return number{lo: n, hi: n, start: w.start, end: end}, used
}

func digits(s string) (int, bool) {
	if s == "" || s[0] != ',' && (s[0] < '0' || s[0] > '9') {
		return 0, false // most words: no copy made
	}
	s = strings.ReplaceAll(s, ",", "")
	if s == "" || len(s) > 7 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
