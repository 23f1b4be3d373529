# Long Lists are shown a page at a time (issue 7).
list-pages = Тізім беттері
list-page-prev = Алдыңғы бет
list-page-next = Келесі бет
list-page-of = { $page }-бет, барлығы { $pages } бет
list-page-showing = { $from }–{ $to } жазбалар көрсетілген
