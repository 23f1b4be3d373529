# Long Lists are shown a page at a time (issue 7).
list-pages = Тізім беттері
list-page-prev = Алдыңғы бет
list-page-next = Келесі бет
list-page-of = { $page }-бет, барлығы { $pages } бет
list-page-showing = { $from }–{ $to } жазбалар көрсетілген
err-search-limit = 1-ден 500-ге дейінгі бүтін санды енгізіңіз
err-search-offset = 0 немесе одан үлкен бүтін санды енгізіңіз
