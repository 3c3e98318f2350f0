package web

// HashPasswordCheap hashes like HashPassword with tiny argon2 parameters,
// so that tests which sign in many times stay fast (under -race too).
func HashPasswordCheap(password string) (string, error) { return hashPassword(password, 64, 1) }
