fn main() {
    for spelling in std::env::args().skip(1) {
        match errcat_codes::lookup(&spelling) {
            Some(code) => {
                let names: Vec<&str> = code.names().collect();
                println!("{spelling} -> {} [{}] in {} contexts", code.code(), names.join(","), code.contexts().len());
            }
            None => println!("{spelling} -> unknown"),
        }
    }
}
